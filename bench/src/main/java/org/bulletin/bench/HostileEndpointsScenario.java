package org.bulletin.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.bulletin.feed.FeedMain;
import org.bulletin.platform.config.Config;
import org.bulletin.testkit.HostileServer;

/**
 * Scenario 7: a feed service in a JVM of its own with a 256 MB heap, N events to 12 healthy
 * endpoints, once alone and once beside one endpoint of every hostile kind (endless body, drips,
 * silent, 10,000 headers, a 1 MB header, resets, redirects). Healthy deliveries/s and p99, the
 * feed's response p99 while delivering, and whether it stayed ready, relative to the run alone.
 */
final class HostileEndpointsScenario {
  private static final int HEALTHY = 12;

  private HostileEndpointsScenario() {}

  /** Healthy deliveries/s, their p99 ms, feed GET p99 ms, and 1 if ready throughout (else 0). */
  private record Run(double rate, double p99, double feedP99, double ready) {}

  static List<Figure> run(Env env) throws Exception {
    int n = env.size(2_000, 30);
    List<Double> rate = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    List<Double> feed = new ArrayList<>();
    List<Double> ready = new ArrayList<>();
    for (int i = 0; i < env.runs(); i++) {
      Run alone = once(env, n, false);
      Run beside = once(env, n, true);
      rate.add(beside.rate() / alone.rate());
      p99.add(beside.p99() / alone.p99());
      feed.add(beside.feedP99() / alone.feedP99());
      ready.add(Math.min(alone.ready(), beside.ready()));
    }
    String s = "7. Hostile endpoints beside " + HEALTHY + " healthy ones, 256 MB heap (" + n + " events, relative)";
    Stats r = new Stats("x", rate);
    Stats p = new Stats("x", p99);
    Stats f = new Stats("x", feed);
    Stats up = new Stats("1 = yes", ready);
    return List.of(
        new Figure(s, "healthy deliveries/s, relative", r, "within 10 %", r.median() >= 0.9),
        new Figure(s, "healthy p99 publish to first attempt, relative", p, "within 10 %", p.median() <= 1.1),
        new Figure(s, "feed GET p99 while delivering, relative", f, "within 10 %", f.median() <= 1.1),
        new Figure(s, "ready throughout", up, "yes", up.min() >= 1));
  }

  private static Run once(Env env, int n, boolean hostile) throws Exception {
    Vertx receivers = Vertx.vertx();
    List<HostileServer> hostiles = new ArrayList<>();
    Process feed = null;
    AtomicBoolean sampling = new AtomicBoolean(true);
    try (Stack stack = new Stack(env.bootstrap(), Map.of())) {
      int port = freePort();
      feed = startFeed(stack.config, port, env.workDir().resolve("hostile-feed-" + System.nanoTime() + ".log"));
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      awaitReady(http, port, feed);
      List<Map<String, Long>> firstArrivals = new ArrayList<>();
      Map<String, String> reportOf = new ConcurrentHashMap<>();
      for (int i = 0; i < HEALTHY; i++) {
        Map<String, Long> first = new ConcurrentHashMap<>();
        firstArrivals.add(first);
        HttpServer server = receivers.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
          String id = req.getHeader("webhook-id");
          if (first.putIfAbsent(id, System.currentTimeMillis()) == null) {
            reportOf.put(id, new JsonObject(body).getJsonObject("data").getString("id"));
          }
          req.response().setStatusCode(200).end();
        })).listen(0, "127.0.0.1").await();
        subscribe(http, port, "http://127.0.0.1:" + server.actualPort() + "/hook");
      }
      if (hostile) {
        HostileServer target = new HostileServer(HostileServer.Behaviour.HEALTHY);
        hostiles.add(target);
        for (HostileServer.Behaviour b : HostileServer.Behaviour.values()) {
          if (b != HostileServer.Behaviour.HEALTHY) {
            HostileServer s = new HostileServer(b, target.url());
            hostiles.add(s);
            subscribe(http, port, s.url());
          }
        }
      }
      // Feed requests and readiness, sampled all along the fan-out.
      List<Double> feedMs = new CopyOnWriteArrayList<>();
      AtomicInteger notReady = new AtomicInteger();
      Thread sampler = new Thread(() -> {
        while (sampling.get()) {
          try {
            long t0 = System.nanoTime();
            http.send(get(port, "/feeds/reports.json"), HttpResponse.BodyHandlers.discarding());
            feedMs.add((System.nanoTime() - t0) / 1e6);
            if (http.send(get(port, "/health/ready"), HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
              notReady.incrementAndGet();
            }
            Thread.sleep(20);
          } catch (Exception e) {
            notReady.incrementAndGet();
          }
        }
      }, "bench-feed-sampler");
      sampler.setDaemon(true);
      sampler.start();

      Map<String, Long> acked = new ConcurrentHashMap<>();
      long t0 = System.currentTimeMillis();
      try (EventSender sender = new EventSender(env.bootstrap(), stack.reportsTopic())) {
        for (int i = 0; i < n; i++) {
          String id = "hostile-" + i;
          sender.send(EventSender.report(id, 1500)).thenAccept(t -> acked.put(id, t));
        }
        sender.flush();
      }
      long deadline = System.currentTimeMillis() + Math.max(120_000, n * 50L);
      while (firstArrivals.stream().mapToInt(Map::size).sum() < n * HEALTHY) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("fan-out did not finish in time");
        }
        if (!feed.isAlive()) {
          throw new IllegalStateException("the feed service died (out of memory?)");
        }
        Thread.sleep(20);
      }
      sampling.set(false);
      sampler.join(5_000);
      long last = 0;
      List<Double> latencies = new ArrayList<>();
      for (Map<String, Long> first : firstArrivals) {
        for (Map.Entry<String, Long> e : first.entrySet()) {
          last = Math.max(last, e.getValue());
          latencies.add((double) Math.max(0, e.getValue() - acked.get(reportOf.get(e.getKey()))));
        }
      }
      return new Run(latencies.size() / ((last - t0) / 1000.0), Stats.percentile(latencies, 99),
          Stats.percentile(feedMs, 99), notReady.get() == 0 && feed.isAlive() ? 1 : 0);
    } finally {
      sampling.set(false);
      hostiles.forEach(HostileServer::close);
      if (feed != null) {
        feed.destroyForcibly().waitFor();
      }
      receivers.close().await();
    }
  }

  /** FeedMain in a JVM of its own with a 256 MB heap; it exits on an OutOfMemoryError. */
  private static Process startFeed(Config config, int port, Path log) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
        "-cp", System.getProperty("java.class.path"), FeedMain.class.getName())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("BULLETIN_"));
    config.asMap().forEach((k, v) -> builder.environment().put(Config.envName(k), v));
    builder.environment().put("BULLETIN_FEED_HTTP_PORT", String.valueOf(port));
    return builder.start();
  }

  private static void awaitReady(HttpClient http, int port, Process feed) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      if (!feed.isAlive()) {
        throw new IllegalStateException("the feed service exited at start");
      }
      try {
        if (http.send(get(port, "/health/ready"), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the feed service was not ready within 90 s");
      }
      Thread.sleep(100);
    }
  }

  private static void subscribe(HttpClient http, int port, String url) throws Exception {
    String json = new JsonObject().put("url", url).encode();
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/v1/subscriptions")).header("Authorization", "Bearer " + Stack.TOKEN)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 201) {
      throw new IllegalStateException("subscription refused: " + created.body());
    }
  }

  private static HttpRequest get(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build();
  }

  private static int freePort() throws Exception {
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
