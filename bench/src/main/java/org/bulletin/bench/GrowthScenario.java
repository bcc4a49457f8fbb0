package org.bulletin.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bulletin.launcher.BulletinCli;
import org.bulletin.platform.config.Config;

/**
 * Scenario 6: what {@code ./bulletin up} itself costs with 10k and with 1M reports in the topic:
 * {@code BulletinCli up --bootstrap-servers …} in a child JVM with the heap the script gives it, so
 * the producer's report index and the feed service share that heap as they do for a user. Measures
 * the time from JVM start until both are ready, then reads pages nobody asked for before (report
 * pages and archive pages, so their content is read back from Kafka), then the resident memory.
 */
final class GrowthScenario {
  private GrowthScenario() {}

  /** Cold pages read after ready, per run. */
  private static final int COLD_PAGES = 20;
  private static final int OLDEST_NEW = 200;

  static List<Figure> run(Env env) throws Exception {
    List<Figure> out = new ArrayList<>();
    List<Integer> sizes = env.smoke() ? List.of(1_000, 2_000) : List.of(10_000, 1_000_000);
    String s = "6. Memory (./bulletin up in one JVM: " + String.join(" ", JVM_OPTIONS) + ")";
    List<List<Double>> memory = new ArrayList<>();
    for (int n : sizes) {
      List<Double> seconds = new ArrayList<>();
      List<Double> rssMb = new ArrayList<>();
      List<Double> heapMb = new ArrayList<>();
      List<Double> coldMs = new ArrayList<>();
      String topic = env.reportsTopic(n);
      try (Stack stack = new Stack(env.bootstrap(), Map.of("webhook.enabled", "false", "websub.enabled", "false",
          "topics.reports", topic))) {
        for (int run = 0; run < env.runs(); run++) {
          Up up = up(env, stack.config, n, run);
          seconds.add(up.seconds);
          rssMb.add(up.rssMb);
          heapMb.add(up.heapMb);
          coldMs.addAll(up.coldPageMs);
        }
      }
      Stats t = new Stats("s", seconds);
      out.add(new Figure(s, n + " reports: rebuild (up until ingest and feeds ready)", t,
          n == 1_000_000 ? "<= 60 s" : null, n == 1_000_000 ? t.median() <= 60 : null));
      double p99 = Stats.percentile(coldMs, 99);
      out.add(new Figure(s, n + " reports: cold report/archive page p99 (" + COLD_PAGES + " a run)",
          new Stats("ms", List.of(p99)), n == 1_000_000 ? "< 50 ms" : null, n == 1_000_000 ? p99 < 50 : null));
      out.add(new Figure(s, n + " reports: resident memory after the cold pages", new Stats("MB", rssMb), null, null));
      out.add(new Figure(s, n + " reports: heap used after a full GC", new Stats("MB", heapMb), null, null));
      memory.add(rssMb);
    }
    // Bounded by configuration means flat as history grows: the largest size against the smallest.
    List<Double> growth = new ArrayList<>();
    for (int run = 0; run < env.runs(); run++) {
      growth.add(memory.get(memory.size() - 1).get(run) / memory.get(0).get(run));
    }
    Stats g = new Stats("x", growth);
    out.add(new Figure(s, "memory, " + sizes.get(1) + " / " + sizes.get(0) + " reports", g, "<= 1.5x",
        g.median() <= 1.5));
    return out;
  }

  /** What {@code ./bulletin up} gives the JVM unless BULLETIN_JAVA_OPTS says otherwise. */
  private static final List<String> JVM_OPTIONS = List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError");

  private record Up(double seconds, double rssMb, double heapMb, List<Double> coldPageMs) {}

  /** Starts {@code up}, waits for both services, reads cold pages, measures; stops it again. */
  private static Up up(Env env, Config config, int n, int run) throws Exception {
    int feedPort = Tools.freePort();
    int ingestPort = Tools.freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(JVM_OPTIONS);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), BulletinCli.class.getName(), "up",
        "--bootstrap-servers", env.bootstrap(), "--no-samples",
        "--data-dir", env.workDir().resolve("growth-up-" + n).toString()));
    Path log = env.workDir().resolve("growth-up.log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("BULLETIN_"));
    config.asMap().forEach((k, v) -> pb.environment().put(Config.envName(k), v));
    pb.environment().put("BULLETIN_FEED_HTTP_PORT", String.valueOf(feedPort));
    pb.environment().put("BULLETIN_FEED_BASE_URL", "http://127.0.0.1:" + feedPort);
    pb.environment().put("BULLETIN_PRODUCER_HTTP_PORT", String.valueOf(ingestPort));
    pb.environment().put("BULLETIN_LOG_LEVEL", "WARN");
    long t0 = System.nanoTime();
    Process p = pb.start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      awaitReady(http, p, log, feedPort);
      awaitReady(http, p, log, ingestPort);
      double seconds = (System.nanoTime() - t0) / 1e9;
      List<Double> cold = new ArrayList<>();
      Random random = new Random(run);
      for (int i = 0; i < COLD_PAGES; i++) {
        // Not among the newest reports, which the current document holds and which have no archive page yet.
        int report = OLDEST_NEW + random.nextInt(n - OLDEST_NEW);
        // Alternately a report page and the first archive page of that report's month.
        String path = i % 2 == 0 ? "/reports/history-" + report
            : "/feeds/reports/archive/" + YearMonth.from(EventSender.SPREAD_FROM.minusDays(report % EventSender.SPREAD_DAYS))
            + ".atom";
        long start = System.nanoTime();
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + feedPort + path))
            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        cold.add((System.nanoTime() - start) / 1e6);
        if (r.statusCode() != 200) {
          throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + new String(r.body()));
        }
      }
      double rss = 0;
      for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
      return new Up(seconds, rss, heapAfterFullGc(p.pid()), cold);
    } finally {
      p.destroy(); // SIGTERM: up stops its services
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private static void awaitReady(HttpClient http, Process p, Path log, int port) throws Exception {
    while (true) {
      if (!p.isAlive()) {
        throw new IllegalStateException("./bulletin up exited: " + Files.readString(log));
      }
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
            .build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(20);
    }
  }

  /** Heap in use after a full collection, from {@code jcmd GC.heap_info} after {@code GC.run}; NaN without jcmd. */
  private static double heapAfterFullGc(long pid) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return Double.NaN;
    }
    new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.run").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
    Process info = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.heap_info").redirectErrorStream(true)
        .start();
    String text = new String(info.getInputStream().readAllBytes());
    info.waitFor(60, TimeUnit.SECONDS);
    // "garbage-first heap   total 524288K, used 123456K"
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(text);
    return m.find() ? Long.parseLong(m.group(1)) / 1024.0 : Double.NaN;
  }
}
