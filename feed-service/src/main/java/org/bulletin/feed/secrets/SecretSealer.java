package org.bulletin.feed.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals signing secrets for the subscriptions topic with AES-256-GCM (JDK): {@code enc:v1:<key
 * id>:<base64url(nonce ‖ ciphertext ‖ tag)>}, a fresh 96-bit nonce each time, the subscription id
 * as associated data (a sealed secret copied into another subscription's record does not open).
 * The key id lets keys rotate: records sealed with an older key open while that key is configured,
 * and are sealed with the active key when next written. A value without the prefix is a clear-text
 * secret written before encryption existed and is returned as it is. Thread-safe.
 */
public final class SecretSealer {
  private static final String PREFIX = "enc:v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeys keys;
  private final SecureRandom random = new SecureRandom();

  public SecretSealer(SecretKeys keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no key to seal secrets with");
    }
    this.keys = keys;
  }

  public String seal(String secret, String subscriptionId) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, keys.active(), new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(subscriptionId.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = c.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[nonce.length + sealed.length];
      System.arraycopy(nonce, 0, out, 0, nonce.length);
      System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
      return PREFIX + keys.activeId() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /**
   * The clear secret.
   *
   * @throws SecretUnreadableException when its key is not configured or it was tampered with
   */
  public String open(String stored, String subscriptionId) {
    if (!stored.startsWith(PREFIX)) {
      return stored;
    }
    int colon = stored.indexOf(':', PREFIX.length());
    if (colon < 0) {
      throw new SecretUnreadableException("malformed sealed secret of " + subscriptionId);
    }
    String keyId = stored.substring(PREFIX.length(), colon);
    SecretKey key = keys.get(keyId);
    if (key == null) {
      throw new SecretUnreadableException("the secret of " + subscriptionId + " is sealed with key " + keyId
          + ", which secrets.keys does not list");
    }
    try {
      byte[] in = Base64.getUrlDecoder().decode(stored.substring(colon + 1));
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      c.updateAAD(subscriptionId.getBytes(StandardCharsets.UTF_8));
      return new String(c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new SecretUnreadableException("the secret of " + subscriptionId + " does not open with key " + keyId);
    }
  }

  /** True when {@code stored} is clear text (written before secrets were sealed). */
  public boolean clear(String stored) {
    return !stored.startsWith(PREFIX);
  }

  /** True when {@code stored} is sealed with the active key (else it is rewritten when next saved). */
  public boolean sealedWithActiveKey(String stored) {
    return stored.startsWith(PREFIX + keys.activeId() + ":");
  }
}
