package org.bulletin.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./bulletin up} in its own JVM: starts everything, serves the samples, stops cleanly. */
class BulletinUpIT {
  private static final Path ROOT = Path.of(System.getProperty("bulletin.repo.root", ".."));
  private static final Pattern BROKER_PID = Pattern.compile("local KRaft broker, pid (\\d+)");

  @TempDir
  Path dir;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private record Up(Process process, Thread reader, List<String> lines, long brokerPid, int feedPort, int producerPort) {}

  private Up start() throws Exception {
    int feedPort = freePort();
    int producerPort = freePort();
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        BulletinCli.class.getName(), "up", "--data-dir", dir.toString(), "--kafka-port", String.valueOf(freePort()),
        "--samples", ROOT.resolve("samples").toString()).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("BULLETIN_"));
    env.put("BULLETIN_PRODUCER_HTTP_PORT", String.valueOf(producerPort));
    env.put("BULLETIN_FEED_HTTP_PORT", String.valueOf(feedPort));
    env.put("BULLETIN_FEED_MANAGEMENT_PORT", "0");
    env.put("BULLETIN_FEED_BASE_URL", "http://localhost:" + feedPort);
    Process process = builder.start();
    List<String> lines = new CopyOnWriteArrayList<>();
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
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (lines.stream().noneMatch(l -> l.contains("Press Ctrl-C"))) {
      assertThat(process.isAlive()).as(String.join("\n", lines)).isTrue();
      assertThat(System.nanoTime()).as("up within 120 s:\n" + String.join("\n", lines)).isLessThan(deadline);
      Thread.sleep(200);
    }
    long brokerPid = lines.stream().map(BROKER_PID::matcher).filter(Matcher::find).findFirst()
        .map(m -> Long.parseLong(m.group(1))).orElseThrow();
    return new Up(process, reader, lines, brokerPid, feedPort, producerPort);
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void startsEverythingPublishesTheSamplesAndStopsTheBrokerOnSigterm() throws Exception {
    Up up = start();
    try {
      String out = String.join("\n", up.lines());
      assertThat(out).contains("Published 7 of 7 files").contains("Ingest API     http://localhost:" + up.producerPort())
          .contains("Feeds          http://localhost:" + up.feedPort()).contains("API token      dev-");
      String token = Files.readString(dir.resolve("dev-token")).trim();
      assertThat(out).contains(token);
      assertThat(get("http://localhost:" + up.feedPort() + "/feeds/reports.rss").body())
          .contains("Huiji district held economic operation analysis meeting");
      assertThat(get("http://localhost:" + up.producerPort() + "/health/ready").statusCode()).isEqualTo(200);

      up.process().toHandle().destroy(); // SIGTERM without closing our end of its stdout
      assertThat(up.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
      ProcessHandle.of(up.brokerPid()).ifPresent(h -> h.onExit().join());
      assertThat(ProcessHandle.of(up.brokerPid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      up.reader().join(10_000); // the last lines may still be in the pipe
      assertThat(up.lines()).contains("Stopped.");
      List<String> shutdown = up.lines().subList(up.lines().indexOf("Stopping Bulletin …"), up.lines().size());
      assertThat(shutdown).as("a clean shutdown logs no error (the groups are left before the broker stops)")
          .noneMatch(l -> l.contains(" ERROR ") || l.contains("not the correct coordinator"));
      // Once 218 WARN lines: Kafka clients retrying a broker that was already gone.
      assertThat(shutdown).as("no WARN flood from Kafka's clients at shutdown")
          .noneMatch(l -> l.contains(" WARN ") && l.contains("o.a.k."));
      assertThat(shutdown.stream().filter(l -> l.contains(" WARN ")).count()).as("WARN lines at shutdown")
          .isLessThan(5);
      System.out.println("Shutdown of ./bulletin up: " + shutdown.stream().filter(l -> l.startsWith("(shutdown took"))
          .findFirst().orElse("(not measured)") + ", warnings: " + shutdown.stream().filter(l -> l.contains(" WARN ")).count()
          + "\n" + String.join("\n", shutdown));
    } finally {
      up.process().destroyForcibly();
      ProcessHandle.of(up.brokerPid()).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void killingTheLauncherLeavesNoBrokerBehindAndDataSurvivesARestart() throws Exception {
    Up first = start();
    try {
      first.process().destroyForcibly(); // SIGKILL: no shutdown hook runs
      first.process().waitFor(30, TimeUnit.SECONDS);
      ProcessHandle.of(first.brokerPid()).ifPresent(h -> h.onExit().orTimeout(30, TimeUnit.SECONDS).join());
      assertThat(ProcessHandle.of(first.brokerPid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    } finally {
      ProcessHandle.of(first.brokerPid()).ifPresent(ProcessHandle::destroyForcibly);
    }
    Files.writeString(dir.resolve("marker"), "restart");
    Up second = start();
    try {
      // Same data dir: the reports from the first run are still there, the samples republish as duplicates.
      String rss = get("http://localhost:" + second.feedPort() + "/feeds/reports.rss").body();
      assertThat(rss.split("<item>", -1).length - 1).isEqualTo(7);
      assertThat(Files.readString(dir.resolve("dev-token")).trim()).startsWith("dev-");
      assertThat(java.util.Base64.getDecoder().decode(Files.readString(dir.resolve("portal-secret")).trim()))
          .as("development portal key kept beside the dev token").hasSize(32);
    } finally {
      second.process().destroy();
      second.process().waitFor(60, TimeUnit.SECONDS);
      ProcessHandle.of(second.brokerPid()).ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}
