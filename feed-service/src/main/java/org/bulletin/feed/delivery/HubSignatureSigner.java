package org.bulletin.feed.delivery;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * WebSub's content distribution signature (W3C WebSub 8.1): {@code X-Hub-Signature: sha256=<hex>},
 * the HMAC-SHA256 of the body keyed with the subscriber's {@code hub.secret}. Without a secret
 * nothing is added.
 */
public final class HubSignatureSigner implements Signer {
  public static final String HEADER = "X-Hub-Signature";
  private final byte[] key;

  /** @param secret the subscriber's {@code hub.secret}, or {@code null} / empty for unsigned delivery */
  public HubSignatureSigner(String secret) {
    this.key = secret == null || secret.isEmpty() ? null : secret.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Map<String, String> headers(String messageId, Instant at, byte[] body) {
    if (key == null) {
      return Map.of();
    }
    return Map.of(HEADER, "sha256=" + HexFormat.of().formatHex(hmac(key, body)));
  }

  static byte[] hmac(byte[] key, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
