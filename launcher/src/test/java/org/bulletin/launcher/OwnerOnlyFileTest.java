package org.bulletin.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyFileTest {
  @TempDir
  Path dir;

  @Test
  void aNewKeyFileIsOwnerOnlyAndNoTemporaryFileIsLeft() throws Exception {
    Path file = dir.resolve("data").resolve("dev-secrets-key");
    assertThat(OwnerOnlyFile.readOrCreate(file, "first")).isEqualTo("first");
    assertThat(Files.readString(file)).isEqualTo("first\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    try (var listing = Files.list(file.getParent())) {
      assertThat(listing).containsExactly(file);
    }
  }

  @Test
  void anExistingKeyIsKeptAndAnEmptyOneReplaced() throws Exception {
    Path file = dir.resolve("portal-secret");
    OwnerOnlyFile.readOrCreate(file, "kept");
    assertThat(OwnerOnlyFile.readOrCreate(file, "other")).isEqualTo("kept");
    Path empty = dir.resolve("empty");
    Files.writeString(empty, " \n");
    assertThat(OwnerOnlyFile.readOrCreate(empty, "fresh")).isEqualTo("fresh");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(empty))).isEqualTo("rw-------");
  }
}
