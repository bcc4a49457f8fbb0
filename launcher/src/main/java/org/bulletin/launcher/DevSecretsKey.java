package org.bulletin.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
      if (Files.isRegularFile(file)) {
        String key = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (!key.isEmpty()) {
          return "dev:" + key;
        }
      }
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      String key = Base64.getEncoder().encodeToString(random);
      Files.createDirectories(dataDir);
      Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // Not a POSIX file system; the file stays with default permissions.
      }
      return "dev:" + key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the development secrets key in " + file, e);
    }
  }
}
