package org.bulletin.feed.delivery;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks v1: {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature}
 * ({@code v1,<base64 HMAC-SHA256 of id.timestamp.body>}, one per secret, space separated, so a
 * rotated secret keeps signing beside the new one during its grace).
 */
public final class StandardWebhooksSigner implements Signer {
  public static final String PREFIX = "whsec_";

  /** A secret and when it stops signing ({@code null}: the current one). */
  public record Secret(String value, Instant expiresAt) {}

  private final List<Secret> secrets;

  public StandardWebhooksSigner(List<Secret> secrets) {
    this.secrets = List.copyOf(secrets);
  }

  @Override
  public Map<String, String> headers(String messageId, Instant at, byte[] body) {
    long timestamp = at.getEpochSecond();
    StringBuilder signature = new StringBuilder();
    for (Secret s : secrets) {
      if (s.expiresAt() == null || s.expiresAt().isAfter(at)) {
        if (signature.length() > 0) {
          signature.append(' ');
        }
        signature.append("v1,").append(sign(s.value(), messageId, timestamp, body));
      }
    }
    return Map.of("webhook-id", messageId, "webhook-timestamp", String.valueOf(timestamp),
        "webhook-signature", signature.toString());
  }

  /** A new secret: {@code whsec_} and base64 of 32 random bytes. */
  public static String newSecret() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** The webhook-signature header: one {@code v1,…} per secret, space separated (rotation). */
  public static String signature(List<String> secrets, String id, long timestampSeconds, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return secrets.stream().map(s -> "v1," + sign(s, id, timestampSeconds, bytes)).collect(Collectors.joining(" "));
  }

  static String sign(String secret, String id, long timestampSeconds, String body) {
    return sign(secret, id, timestampSeconds, body.getBytes(StandardCharsets.UTF_8));
  }

  static String sign(String secret, String id, long timestampSeconds, byte[] body) {
    if (!secret.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a Standard Webhooks secret");
    }
    byte[] key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }
}
