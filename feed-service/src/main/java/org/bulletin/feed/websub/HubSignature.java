package org.bulletin.feed.websub;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** WebSub 8 authenticated content distribution: {@code X-Hub-Signature: sha256=<hex HMAC of the body>}. */
public final class HubSignature {
  public static final String HEADER = "X-Hub-Signature";

  private HubSignature() {}

  /** The header value for {@code body} under {@code secret}. */
  public static String of(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
