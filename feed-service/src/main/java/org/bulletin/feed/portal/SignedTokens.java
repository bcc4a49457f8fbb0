package org.bulletin.feed.portal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless tokens, HMAC-SHA256 signed with a key from configuration, so that any instance
 * honours a token another one made. A token names a purpose (a link can never serve as a
 * session), a subject (the partner id), a random nonce and an expiry:
 * {@code base64url(subject).base64url(nonce).expiryEpochSeconds.base64url(mac)}.
 *
 * <p>The first key signs; every key verifies, so a key can be rotated by putting the new one first
 * and removing the old one once the last token it signed has expired. Thread-safe.
 */
public final class SignedTokens {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  /** What a verified token says. */
  public record Claims(String subject, String nonce, Instant expiresAt) {}

  private final List<byte[]> keys;

  /** @param keys the signing key first, then keys still accepted; each at least 32 bytes */
  public SignedTokens(List<byte[]> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one key is needed");
    }
    for (byte[] k : keys) {
      if (k.length < 32) {
        throw new IllegalArgumentException("a key must have at least 32 bytes, one has " + k.length);
      }
    }
    this.keys = keys.stream().map(byte[]::clone).toList();
  }

  public String sign(String purpose, String subject, String nonce, Instant expiresAt) {
    String body = B64.encodeToString(subject.getBytes(StandardCharsets.UTF_8)) + "."
        + B64.encodeToString(nonce.getBytes(StandardCharsets.UTF_8)) + "." + expiresAt.getEpochSecond();
    return body + "." + B64.encodeToString(mac(keys.get(0), purpose, body));
  }

  /** The claims of a token made for {@code purpose} that has not expired at {@code now}; else empty. */
  public Optional<Claims> verify(String purpose, String token, Instant now) {
    if (token == null || token.length() > 2048) {
      return Optional.empty();
    }
    int macAt = token.lastIndexOf('.');
    if (macAt < 0) {
      return Optional.empty();
    }
    String body = token.substring(0, macAt);
    String[] parts = body.split("\\.", -1);
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      byte[] presented = B64D.decode(token.substring(macAt + 1));
      boolean ok = false;
      for (byte[] key : keys) {
        ok |= MessageDigest.isEqual(mac(key, purpose, body), presented);
      }
      if (!ok) {
        return Optional.empty();
      }
      Instant expires = Instant.ofEpochSecond(Long.parseLong(parts[2]));
      if (!expires.isAfter(now)) {
        return Optional.empty();
      }
      return Optional.of(new Claims(new String(B64D.decode(parts[0]), StandardCharsets.UTF_8),
          new String(B64D.decode(parts[1]), StandardCharsets.UTF_8), expires));
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      return Optional.empty(); // not base64, not a number: not a token of ours
    }
  }

  /** A value bound to {@code purpose} and {@code data}, such as a CSRF token bound to a session. */
  public String derive(String purpose, String data) {
    return B64.encodeToString(mac(keys.get(0), purpose, data));
  }

  /** Whether {@code presented} is {@link #derive}'s value under any key, in constant time. */
  public boolean matches(String purpose, String data, String presented) {
    if (presented == null) {
      return false;
    }
    byte[] p = presented.getBytes(StandardCharsets.US_ASCII);
    boolean ok = false;
    for (byte[] key : keys) {
      ok |= MessageDigest.isEqual(B64.encodeToString(mac(key, purpose, data)).getBytes(StandardCharsets.US_ASCII), p);
    }
    return ok;
  }

  private static byte[] mac(byte[] key, String purpose, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(purpose.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
