package org.bulletin.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's commands, top to bottom, as a new user would in a second terminal: every
 * bash block marked {@code <!-- readme-walk -->}, against {@code ./bulletin up} started on ports
 * and a data folder of its own (the only rewriting: those ports and paths). curl fails on any
 * 4xx/5xx and the script stops at the first failing command, so a README that drifts from the
 * code fails here. The webhook walk-through must end with {@code ./bulletin listen} printing a
 * verified delivery.
 */
class ReadmeWalkthroughIT {
  private static final Path ROOT = Path.of(System.getProperty("bulletin.repo.root", "..")).toAbsolutePath().normalize();
  static final Pattern BLOCK = Pattern.compile("<!-- readme-walk(?:: skip \\(([^)]+)\\))? -->\\n```bash\\n(.*?)```",
      Pattern.DOTALL);
  private static final Pattern BROKER_PID = Pattern.compile("local KRaft broker, pid (\\d+)");

  @TempDir
  Path dir;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The walked blocks, in README order. */
  static List<String> walkedBlocks(String readme) {
    List<String> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(readme);
    while (m.find()) {
      if (m.group(1) == null) {
        blocks.add(m.group(2));
      }
    }
    return blocks;
  }

  private static Thread collect(Process process, List<String> lines) {
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          lines.add(line);
        }
      } catch (java.io.IOException ignored) {
        // The process ended.
      }
    });
    reader.setDaemon(true);
    reader.start();
    return reader;
  }

  @Test
  void theReadmeCommandsWorkVerbatimIncludingTheWebhookWalkthrough() throws Exception {
    int feedPort = freePort();
    int producerPort = freePort();
    int kafkaPort = freePort();
    int listenPort = freePort();
    Path data = dir.resolve("data");
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");

    ProcessBuilder upBuilder = new ProcessBuilder(java, "-cp", classpath, BulletinCli.class.getName(), "up",
        "--data-dir", data.toString(), "--kafka-port", String.valueOf(kafkaPort), "--samples",
        ROOT.resolve("samples").toString()).redirectErrorStream(true);
    Map<String, String> upEnv = upBuilder.environment();
    upEnv.keySet().removeIf(k -> k.startsWith("BULLETIN_"));
    upEnv.put("BULLETIN_PRODUCER_HTTP_PORT", String.valueOf(producerPort));
    upEnv.put("BULLETIN_FEED_HTTP_PORT", String.valueOf(feedPort));
    upEnv.put("BULLETIN_FEED_MANAGEMENT_PORT", "0");
    upEnv.put("BULLETIN_FEED_BASE_URL", "http://localhost:" + feedPort);
    Process up = upBuilder.start();
    List<String> upLines = new CopyOnWriteArrayList<>();
    collect(up, upLines);
    Process walk = null;
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (upLines.stream().noneMatch(l -> l.contains("Press Ctrl-C"))) {
        assertThat(up.isAlive()).as(String.join("\n", upLines)).isTrue();
        assertThat(System.nanoTime()).as("up within 120 s:\n" + String.join("\n", upLines)).isLessThan(deadline);
        Thread.sleep(200);
      }
      assertThat(upLines).anyMatch(l -> l.contains("Webhooks       development mode"));

      Path bin = dir.resolve("bulletin");
      Files.writeString(bin, "#!/usr/bin/env bash\nexec '" + java + "' -cp '" + classpath + "' "
          + BulletinCli.class.getName() + " \"$@\"\n");
      Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwx------"));
      StringBuilder script = new StringBuilder("set -euo pipefail\n")
          .append("curl() { command curl --fail-with-body --max-time 60 \"$@\"; }\n")
          .append("cd '").append(ROOT).append("'\n");
      List<String> blocks = walkedBlocks(Files.readString(ROOT.resolve("README.md")));
      assertThat(blocks).hasSizeGreaterThanOrEqualTo(5);
      for (int i = 0; i < blocks.size(); i++) {
        script.append("echo '### README block ").append(i + 1).append("'\n").append(blocks.get(i)
            .replace("./bulletin ", bin + " ")
            .replace("localhost:8080", "localhost:" + feedPort)
            .replace("localhost:8081", "localhost:" + producerPort)
            .replace("localhost:9092", "localhost:" + kafkaPort)
            .replace(".bulletin/dev-token", data.resolve("dev-token").toString())
            .replace("127.0.0.1:9000", "127.0.0.1:" + listenPort)
            .replace("--port 9000", "--port " + listenPort)
            .replace("/dev/tcp/127.0.0.1/9000", "/dev/tcp/127.0.0.1/" + listenPort)).append('\n');
      }
      script.append("echo '### README done'\nkill $(jobs -p) 2>/dev/null || true\nwait || true\n");
      Path file = Files.writeString(dir.resolve("walk.sh"), script);

      ProcessBuilder walkBuilder = new ProcessBuilder("bash", file.toString()).redirectErrorStream(true);
      walkBuilder.environment().keySet().removeIf(k -> k.startsWith("BULLETIN_"));
      walkBuilder.environment().put("BULLETIN_KAFKA_BOOTSTRAP_SERVERS", "localhost:" + kafkaPort);
      walk = walkBuilder.start();
      List<String> lines = new CopyOnWriteArrayList<>();
      Thread reader = collect(walk, lines);
      boolean ended = walk.waitFor(240, TimeUnit.SECONDS);
      reader.join(10_000);
      String output = String.join("\n", lines);
      String upOutput = "\n--- ./bulletin up said:\n" + String.join("\n", upLines);
      assertThat(ended).as("the walk ends within 240 s:\n" + output + upOutput).isTrue();
      assertThat(walk.exitValue()).as("every README command succeeds:\n" + output + upOutput).isZero();
      assertThat(output).contains("### README done")
          .containsPattern("HTTP/1\\.1 202")
          .containsPattern("HTTP/1\\.1 304")
          .contains("<opml version=\"2.0\">")
          .containsPattern("(?i)access-control-allow-origin: \\*")
          .containsPattern("verified  report\\.published  msg_[0-9a-f]+  2024-03-06-zhongyuan-district-reviews-bus-routes"
              + "  \"Zhongyuan District reviews bus routes\"")
          .doesNotContain("REJECTED");
      // The replay's range holds the walk-through's event: it is delivered a third time (after the resend).
      assertThat(output).as("the replay found the walk-through's event:\n" + output)
          .containsPattern("\"subscriptionId\":\"sub_[0-9a-f]+\",\"events\":[1-9]");
      assertThat(lines.stream().filter(l -> l.contains("verified  report.published")
          && l.contains("2024-03-06-zhongyuan-district-reviews-bus-routes")).count())
          .as("delivery, resend and replay each verified by ./bulletin listen:\n" + output).isGreaterThanOrEqualTo(3);
    } finally {
      if (walk != null) {
        walk.descendants().forEach(ProcessHandle::destroyForcibly);
        walk.destroyForcibly();
      }
      long brokerPid = upLines.stream().map(BROKER_PID::matcher).filter(Matcher::find).findFirst()
          .map(m -> Long.parseLong(m.group(1))).orElse(-1L);
      up.destroy();
      if (!up.waitFor(60, TimeUnit.SECONDS)) {
        up.destroyForcibly();
      }
      ProcessHandle.of(brokerPid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}
