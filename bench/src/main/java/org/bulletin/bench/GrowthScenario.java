package org.bulletin.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bulletin.feed.FeedMain;
import org.bulletin.platform.config.Config;

/**
 * Scenario 6: resident memory and start-up rebuild time of a feed-service JVM with the heap
 * {@code ./bulletin up} gives it, with 10k and with 1M reports in the topic.
 */
final class GrowthScenario {
  private GrowthScenario() {}

  static List<Figure> run(Env env) throws Exception {
    List<Figure> out = new ArrayList<>();
    List<Integer> sizes = env.smoke() ? List.of(1_000, 2_000) : List.of(10_000, 1_000_000);
    String s = "6. Memory (feed-service JVM with ./bulletin up's heap: " + String.join(" ", JVM_OPTIONS) + ")";
    List<List<Double>> memory = new ArrayList<>();
    for (int n : sizes) {
      List<Double> seconds = new ArrayList<>();
      List<Double> rssMb = new ArrayList<>();
      String topic = env.reportsTopic(n);
      try (Stack stack = new Stack(env.bootstrap(), Map.of("webhook.enabled", "false", "topics.reports", topic))) {
        for (int run = 0; run < env.runs(); run++) {
          double[] r = rebuild(env, stack.config);
          seconds.add(r[0]);
          rssMb.add(r[1]);
        }
      }
      Stats t = new Stats("s", seconds);
      out.add(new Figure(s, n + " reports: rebuild", t, n == 1_000_000 ? "<= 60 s" : null,
          n == 1_000_000 ? t.median() <= 60 : null));
      out.add(new Figure(s, n + " reports: resident memory once ready", new Stats("MB", rssMb), null, null));
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

  /** Seconds from JVM start to ready, and resident MB once ready. */
  private static double[] rebuild(Env env, Config config) throws Exception {
    int port = Tools.freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(JVM_OPTIONS);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), FeedMain.class.getName()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(env.workDir().resolve("growth-feed.log").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("BULLETIN_"));
    config.asMap().forEach((k, v) -> pb.environment().put(Config.envName(k), v));
    pb.environment().put("BULLETIN_FEED_HTTP_PORT", String.valueOf(port));
    pb.environment().put("BULLETIN_LOG_LEVEL", "WARN");
    long t0 = System.nanoTime();
    Process p = pb.start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      while (true) {
        if (!p.isAlive()) {
          throw new IllegalStateException("feed JVM exited: " + Files.readString(env.workDir().resolve("growth-feed.log")));
        }
        try {
          HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
              .build(), HttpResponse.BodyHandlers.discarding());
          if (r.statusCode() == 200) {
            break;
          }
        } catch (java.io.IOException notYet) {
          // not listening yet
        }
        Thread.sleep(20);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      double rss = 0;
      for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
      return new double[] {seconds, rss};
    } finally {
      p.destroy();
      p.waitFor(20, TimeUnit.SECONDS);
      p.destroyForcibly();
    }
  }
}
