package org.bulletin.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
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
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      return OwnerOnlyFile.readOrCreate(file, Base64.getEncoder().encodeToString(random));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the development portal key in " + file, e);
    }
  }
}
