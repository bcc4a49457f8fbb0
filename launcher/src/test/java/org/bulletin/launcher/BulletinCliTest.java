package org.bulletin.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BulletinCliTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return BulletinCli.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpListsEveryCommandAndTheExitCodes() {
    for (String help : new String[] {"help", "--help", "-h"}) {
      out.reset();
      assertThat(run(help)).isZero();
      assertThat(stdout()).contains("up ", "publish ", "listen ", "bench ", "Exit codes: 0 success");
    }
  }

  @Test
  void noCommandPrintsTheCommandsAndIsAUsageError() {
    assertThat(run()).isEqualTo(ExitCodes.USAGE);
    assertThat(stdout()).contains("listen");
    assertThat(stderr()).contains("name a command");
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : new String[] {"up", "publish", "listen", "bench"}) {
      out.reset();
      assertThat(run(command, "--help")).as(command).isZero();
      assertThat(stdout()).as(command).contains("Usage: bulletin " + command);
    }
  }

  @Test
  void upHelpSaysEachWebhookSettingIsRelaxedOnItsOwn() {
    assertThat(run("up", "--help")).isZero();
    String help = stdout().replaceAll("\\s+", " ");
    assertThat(help).contains("without BULLETIN_WEBHOOK_ALLOW_HTTP, up allows http")
        .contains("without BULLETIN_WEBHOOK_ALLOWLIST, up allows loopback")
        .doesNotContain("BULLETIN_WEBHOOK_ALLOW_HTTP or BULLETIN_WEBHOOK_ALLOWLIST");
  }

  @Test
  void unknownOptionsAndCommandsAreUsageErrorsThatNameTheCommand() {
    assertThat(run("up", "--frobnicate")).isEqualTo(ExitCodes.USAGE);
    assertThat(stderr()).contains("bulletin up: Unknown option: '--frobnicate'").contains("./bulletin up --help");
    err.reset();
    assertThat(run("deploy")).isEqualTo(ExitCodes.USAGE);
    assertThat(stderr()).contains("deploy");
    err.reset();
    assertThat(run("publish")).isEqualTo(ExitCodes.USAGE);
    assertThat(stderr()).contains("bulletin publish:").contains("FILE|DIR");
  }

  @Test
  void listenOnATakenPortSaysSoAndFails() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      assertThat(run("listen", "--port", String.valueOf(port), "--secret", "whsec_" + "A".repeat(32)))
          .isEqualTo(ExitCodes.FAILED);
      assertThat(stderr()).contains("port " + port + " is already in use; choose another with --port")
          .doesNotContain("BindException");
    }
  }

  @Test
  void publishingOnlyMissingFilesSaysSoWithoutAskingKafkaAndKeepsBulletinsInfoLinesQuiet() {
    assertThat(run("publish", "--bootstrap-servers", "127.0.0.1:1", "/nonexistent/report.json"))
        .isEqualTo(ExitCodes.FAILED);
    assertThat(stderr()).contains("FAILED /nonexistent/report.json: no such file or directory")
        .doesNotContain("cannot reach Kafka");
    assertThat(org.slf4j.LoggerFactory.getLogger("org.bulletin.producer.index.ReportIndexReader").isInfoEnabled())
        .isFalse();
  }

  @Test
  void listenNeedsAPortAndAValidSecret() {
    assertThat(run("listen", "--secret", "whsec_AAAA")).isEqualTo(ExitCodes.USAGE);
    assertThat(stderr()).contains("--port");
    err.reset();
    assertThat(run("listen", "--port", "0", "--secret", "whsec_%%%")).isEqualTo(ExitCodes.USAGE);
    assertThat(stderr()).contains("whsec_");
  }

  @Test
  void publishDryRunKeepsItsExitCodes() {
    assertThat(run("publish", "--dry-run", "no-such-file.txt")).isEqualTo(ExitCodes.FAILED);
    assertThat(stderr()).contains("no-such-file.txt");
  }

  @Test
  void relativePathsResolveAgainstTheDirectoryTheUserRanTheCommandFrom(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path caller) throws Exception {
    java.nio.file.Path reports = java.nio.file.Files.createDirectories(caller.resolve("my-reports"));
    java.nio.file.Files.writeString(reports.resolve("report.txt"),
        "Erqi District meets on flood prevention\n2024-03-05\nThe meeting analysed flood risks.\n");
    int code = BulletinCli.run(new String[] {"publish", "--dry-run", "./my-reports"}, Map.of(), caller,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).as(stderr()).isZero();
    assertThat(stdout()).contains("2024-03-05-erqi-district-meets-on-flood-prevention");
  }
}
