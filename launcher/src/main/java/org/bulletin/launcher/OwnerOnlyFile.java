package org.bulletin.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A small secret file (a development key) created owner-only from its first byte: written to a
 * temporary file made with {@code rw-------}, then linked into place, so no other user can ever
 * read it and a concurrent starter sees either no file or the whole one (and then keeps that one).
 */
final class OwnerOnlyFile {
  private OwnerOnlyFile() {}

  /** The trimmed text of {@code file} if it has any, else {@code created} written there (and returned). */
  static String readOrCreate(Path file, String created) throws IOException {
    String existing = read(file);
    if (existing != null) {
      return existing;
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    FileAttribute<?>[] ownerOnly = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", ownerOnly);
    try {
      Files.writeString(tmp, created + "\n", StandardCharsets.UTF_8);
      if (Files.isRegularFile(file) && read(file) == null) {
        Files.delete(file); // an empty leftover, e.g. of a crash of an older version mid-write
      }
      Files.createLink(file, tmp);
      return created;
    } catch (FileAlreadyExistsException e) {
      String other = read(file);
      if (other == null) {
        throw e;
      }
      return other;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static String read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    String text = Files.readString(file, StandardCharsets.UTF_8).trim();
    return text.isEmpty() ? null : text;
  }
}
