package org.bulletin.platform.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * An issued key as it is stored: never the key itself, only its SHA-256 (enough for 256 random
 * bits, which no dictionary reaches).
 *
 * @param id public name of the key ({@code key_…}), shown in listings and audit records
 * @param partnerId the owner of a partner key; {@code null} for a publisher key
 * @param revokedAt when it was revoked; {@code null} while valid
 */
public record ApiKey(String id, KeyKind kind, String partnerId, String sha256Hex, Instant createdAt,
    Instant revokedAt) {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A key just issued: the stored form, and the secret shown once to whoever asked for it. */
  public record Issued(ApiKey key, String secret) {
    @Override
    public String toString() {
      return "Issued[" + key + "]"; // never the secret
    }
  }

  public static Issued issue(KeyKind kind, String partnerId, Instant now) {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String plain = kind.prefix() + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    return new Issued(new ApiKey(newId("key_"), kind, partnerId, HexFormat.of().formatHex(sha256(plain)), now, null),
        plain);
  }

  public boolean revoked() {
    return revokedAt != null;
  }

  public ApiKey revoke(Instant now) {
    return revoked() ? this : new ApiKey(id, kind, partnerId, sha256Hex, createdAt, now);
  }

  /** Constant-time check that {@code presentedDigest} is this key's digest. */
  public boolean matches(byte[] presentedDigest) {
    return MessageDigest.isEqual(HexFormat.of().parseHex(sha256Hex), presentedDigest);
  }

  /** A random id with {@code prefix}, 96 bits. */
  public static String newId(String prefix) {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return prefix + HexFormat.of().formatHex(b);
  }

  public static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
