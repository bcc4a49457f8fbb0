package org.bulletin.launcher.listen;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies a delivery as a partner would, from the Standard Webhooks specification alone (not from
 * Bulletin's signer): HMAC-SHA256 with the base64 key after {@code whsec_}, over
 * {@code webhook-id.webhook-timestamp.body} (the body's raw bytes); {@code webhook-signature} is a
 * space-separated list of {@code v1,<base64>} (several during a secret rotation), any one may
 * match; the timestamp must be within the tolerance of now, either way. Thread-safe.
 */
public final class SignatureVerifier {
  private static final String PREFIX = "whsec_";

  private final byte[] key;
  private final long toleranceSeconds;
  private final Clock clock;

  /** @throws IllegalArgumentException when the secret is not {@code whsec_} and base64 */
  public SignatureVerifier(String secret, Duration tolerance, Clock clock) {
    String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
    try {
      this.key = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the secret must be whsec_ followed by base64, as the subscribe answer"
          + " prints it");
    }
    if (key.length == 0) {
      throw new IllegalArgumentException("the secret is empty");
    }
    this.toleranceSeconds = tolerance.toSeconds();
    this.clock = clock;
  }

  /** The outcome for one delivery: verified, or why not (in words a developer can act on). */
  public record Result(boolean verified, boolean malformed, String reason) {
    static Result ok() {
      return new Result(true, false, "verified");
    }

    static Result malformed(String reason) {
      return new Result(false, true, reason);
    }

    static Result mismatch(String reason) {
      return new Result(false, false, reason);
    }
  }

  public Result verify(String id, String timestamp, String signatures, byte[] body) {
    if (id == null || id.isBlank()) {
      return Result.malformed("no webhook-id header");
    }
    if (timestamp == null || signatures == null) {
      return Result.malformed("no " + (timestamp == null ? "webhook-timestamp" : "webhook-signature") + " header");
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      return Result.malformed("webhook-timestamp is not a number of seconds");
    }
    long skew = clock.instant().getEpochSecond() - seconds;
    if (Math.abs(skew) > toleranceSeconds) {
      return Result.mismatch("webhook-timestamp is " + Math.abs(skew) + " s " + (skew > 0 ? "old" : "in the future")
          + ", beyond the tolerance of " + toleranceSeconds + " s");
    }
    byte[] expected = sign(id, seconds, body);
    boolean sawV1 = false;
    for (String part : signatures.trim().split(" +")) {
      int comma = part.indexOf(',');
      if (comma < 0 || !part.substring(0, comma).equals("v1")) {
        continue; // another version or scheme: not ours to check
      }
      sawV1 = true;
      byte[] given;
      try {
        given = Base64.getDecoder().decode(part.substring(comma + 1));
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (MessageDigest.isEqual(expected, given)) {
        return Result.ok();
      }
    }
    return sawV1 ? Result.mismatch("no signature matches the secret (was it rotated, or is it another subscription's?)")
        : Result.malformed("webhook-signature has no v1 signature");
  }

  private byte[] sign(String id, long seconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((id + "." + seconds + ".").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
