package org.bulletin.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./bulletin} script run from another directory: it moves to the repository to start
 * Java, and hands the launcher the directory it was run from so user paths resolve there. Java is
 * replaced by a stand-in that prints what it was given; the repository copy holds a fresh build
 * stamp, so nothing is built.
 */
class BulletinScriptTest {
  private static final Path ROOT = Path.of(System.getProperty("bulletin.repo.root", "..")).toAbsolutePath().normalize();

  @Test
  void runFromAnotherDirectoryTheLauncherGetsTheCallersDirectoryAndAnAbsoluteConfigPath(@TempDir Path dir)
      throws Exception {
    Path repo = Files.createDirectories(dir.resolve("bulletin"));
    Files.copy(ROOT.resolve("bulletin"), repo.resolve("bulletin"));
    Files.setPosixFilePermissions(repo.resolve("bulletin"), PosixFilePermissions.fromString("rwx------"));
    Files.createDirectories(repo.resolve("launcher/target/lib"));
    Files.writeString(repo.resolve("launcher/target/lib/.built"), "");
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.writeString(bin.resolve("java"), "#!/usr/bin/env bash\n"
        + "echo \"pwd=$PWD\"; echo \"config=$BULLETIN_CONFIG\"; for a in \"$@\"; do echo \"arg=$a\"; done\n");
    Files.setPosixFilePermissions(bin.resolve("java"), PosixFilePermissions.fromString("rwx------"));
    Path work = Files.createDirectories(dir.resolve("work"));

    ProcessBuilder pb = new ProcessBuilder("bash", "-c", "../bulletin/bulletin publish ./my-reports")
        .directory(work.toFile()).redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("BULLETIN_CONFIG", "local.properties");
    Process p = pb.start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).contains("pwd=" + repo.toRealPath())
        .contains("arg=-Dbulletin.caller.dir=" + work.toRealPath())
        .contains("config=" + work.toRealPath().resolve("local.properties"))
        .contains("arg=publish", "arg=./my-reports")
        .doesNotContain("building");
  }
}
