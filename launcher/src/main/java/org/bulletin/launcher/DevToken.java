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
 * The development API token {@code ./bulletin up} uses when none is configured: random, kept in
 * the data folder (owner-readable only) so it survives restarts.
 */
final class DevToken {
  private DevToken() {}

  static String loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve("dev-token");
    try {
      if (Files.isRegularFile(file)) {
        String token = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (!token.isEmpty()) {
          return token;
        }
      }
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      String token = "dev-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      Files.createDirectories(dataDir);
      Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // Not a POSIX file system; the file stays with default permissions.
      }
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the development token in " + file, e);
    }
  }
}
