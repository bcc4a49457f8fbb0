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
 * The development key that signs partner-portal links and sessions when {@code portal.secrets}
 * is not configured: 32 random bytes, base64, kept in the data folder (owner-readable only) so
 * portal sessions survive a restart of {@code ./bulletin up}.
 */
final class DevPortalSecret {
  static final String FILE = "portal-secret";

  private DevPortalSecret() {}

  static String loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    try {
      if (Files.isRegularFile(file)) {
        String key = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (!key.isEmpty()) {
          return key;
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
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the development portal key in " + file, e);
    }
  }
}
