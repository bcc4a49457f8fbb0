package org.bulletin.platform.auth;

import java.util.Locale;

/**
 * The kinds of API keys Bulletin issues, each with a prefix secret scanners can recognise.
 * Admin credentials are not issued: they are the configured {@code api.tokens}.
 */
public enum KeyKind {
  PARTNER("bltn_prt_", Principal.Kind.PARTNER),
  PUBLISHER("bltn_pub_", Principal.Kind.PUBLISHER);

  private final String prefix;
  private final Principal.Kind principalKind;

  KeyKind(String prefix, Principal.Kind principalKind) {
    this.prefix = prefix;
    this.principalKind = principalKind;
  }

  public String prefix() {
    return prefix;
  }

  public Principal.Kind principalKind() {
    return principalKind;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static KeyKind fromWire(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** The kind whose prefix {@code presented} carries, or {@code null}. */
  public static KeyKind ofPresented(String presented) {
    for (KeyKind k : values()) {
      if (presented.startsWith(k.prefix)) {
        return k;
      }
    }
    return null;
  }
}
