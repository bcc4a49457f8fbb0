package org.bulletin.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The development key that seals webhook signing secrets when {@code secrets.keys} is not
 * configured: 32 random bytes kept in the data folder (owner-readable only), so the secrets of
 * subscriptions made earlier still open after a restart.
 */
final class DevSecretsKey {
  private DevSecretsKey() {}

  /** The {@code secrets.keys} value: {@code dev:<base64 key>}. */
  static String loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve("dev-secrets-key");
    try {
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      return "dev:" + OwnerOnlyFile.readOrCreate(file, Base64.getEncoder().encodeToString(random));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the development secrets key in " + file, e);
    }
  }
}
