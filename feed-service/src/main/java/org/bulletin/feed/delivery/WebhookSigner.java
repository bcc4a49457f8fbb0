package org.bulletin.feed.delivery;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Standard Webhooks v1 signatures: {@code v1,<base64 HMAC-SHA256 of id.timestamp.body>}. */
public final class WebhookSigner {
  public static final String PREFIX = "whsec_";

  private WebhookSigner() {}

  /** A new secret: {@code whsec_} and base64 of 32 random bytes. */
  public static String newSecret() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** The webhook-signature header: one {@code v1,…} per secret, space separated (rotation). */
  public static String signature(List<String> secrets, String id, long timestampSeconds, String body) {
    return secrets.stream().map(s -> "v1," + sign(s, id, timestampSeconds, body)).collect(Collectors.joining(" "));
  }

  static String sign(String secret, String id, long timestampSeconds, String body) {
    if (!secret.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a Standard Webhooks secret");
    }
    byte[] key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] digest = mac.doFinal((id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }
}
