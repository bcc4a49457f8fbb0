package org.bulletin.feed.portal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Times as the portal shows them: UTC, to the second, the same on every instance. */
public final class Moments {
  private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
      .withZone(ZoneOffset.UTC);
  /** The form of an HTML {@code datetime-local} input. */
  private static final DateTimeFormatter INPUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  private Moments() {}

  public static String shown(Instant t) {
    return t == null ? "" : SHOWN.format(t);
  }

  public static String input(Instant t) {
    return t == null ? "" : INPUT.format(t);
  }

  /** Reads a {@code datetime-local} value (taken as UTC) or an RFC 3339 timestamp. */
  public static Instant parse(String text) {
    String t = text.trim();
    if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")) {
      return java.time.OffsetDateTime.parse(t).toInstant();
    }
    return java.time.LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
  }
}
