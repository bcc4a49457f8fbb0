package org.bulletin.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scenarios 4 and 5: N events to 20 endpoints on loopback answering 200 at once: deliveries/s and
 * p99 from acknowledged publish to first attempt, beside wrk's POST rate to the same receivers
 * (the limit). Then the same with one of the 20 never answering.
 */
final class FanOutScenario {
  private FanOutScenario() {}

  /** One receiver: the first arrival of each webhook-id, with the report it carries. */
  private static final class Receiver {
    final Map<String, Long> firstArrival = new ConcurrentHashMap<>();
    final Map<String, String> reportOf = new ConcurrentHashMap<>();
    HttpServer server;
  }

  static List<Figure> run(Env env) throws Exception {
    int n = env.size(10_000, 50);
    List<Double> rate = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    List<Double> limit = new ArrayList<>();
    List<Double> ratio = new ArrayList<>();
    List<Double> deadRate = new ArrayList<>();
    List<Double> deadP99 = new ArrayList<>();
    for (int run = 0; run < env.runs(); run++) {
      double[] healthy = once(env, n, false);
      rate.add(healthy[0]);
      p99.add(healthy[1]);
      limit.add(healthy[2]);
      ratio.add(healthy[0] / healthy[2]);
      double[] withDead = once(env, n, true);
      deadRate.add(withDead[0] / healthy[0]);
      deadP99.add(withDead[1] / healthy[1]);
    }
    String s4 = "4. Webhook fan-out (" + n + " events x 20 endpoints)";
    Stats r = new Stats("x wrk", ratio);
    Stats p = new Stats("ms", p99);
    String s5 = "5. One dead endpoint of 20 (healthy endpoints, relative to scenario 4)";
    Stats dr = new Stats("x", deadRate);
    Stats dp = new Stats("x", deadP99);
    return List.of(
        new Figure(s4, "deliveries/s", new Stats("deliveries/s", rate), null, null),
        new Figure(s4, "wrk POST requests/s to one receiver (limit)", new Stats("req/s", limit), null, null),
        new Figure(s4, "deliveries/s / limit", r, ">= 0.3x", r.median() >= 0.3),
        new Figure(s4, "p99 publish to first attempt", p, "<= 200 ms", p.median() <= 200),
        new Figure(s5, "healthy deliveries/s, relative", dr, "within 10 %", dr.median() >= 0.9),
        new Figure(s5, "healthy p99, relative", dp, "within 10 %", dp.median() <= 1.1));
  }

  /** Deliveries/s, p99 ms and the wrk limit (req/s) of one run. */
  private static double[] once(Env env, int n, boolean oneDead) throws Exception {
    Vertx receivers = Vertx.vertx();
    List<Receiver> healthy = new ArrayList<>();
    try (Stack stack = new Stack(env.bootstrap(), Map.of("webhook.timeout", "15s"))) {
      stack.startFeed();
      HttpClient http = HttpClient.newHttpClient();
      for (int i = 0; i < 20; i++) {
        boolean dead = oneDead && i == 19;
        Receiver r = new Receiver();
        r.server = receivers.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
          if (dead) {
            return; // never answers
          }
          String id = req.getHeader("webhook-id");
          if (r.firstArrival.putIfAbsent(id, System.currentTimeMillis()) == null) {
            r.reportOf.put(id, new JsonObject(body).getJsonObject("data").getString("id"));
          }
          req.response().setStatusCode(200).end();
        })).listen(0, "127.0.0.1").await();
        if (!dead) {
          healthy.add(r);
        }
        String json = new JsonObject().put("url", "http://127.0.0.1:" + r.server.actualPort() + "/hook").encode();
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(stack.url("/v1/subscriptions")))
            .header("Authorization", "Bearer " + Stack.TOKEN).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
          throw new IllegalStateException("subscription refused: " + created.body());
        }
      }
      Map<String, Long> acked = new ConcurrentHashMap<>();
      long t0 = System.currentTimeMillis();
      try (EventSender sender = new EventSender(env.bootstrap(), stack.reportsTopic())) {
        for (int i = 0; i < n; i++) {
          String id = "fan-" + i;
          sender.send(EventSender.report(id, 1500)).thenAccept(t -> acked.put(id, t));
        }
        sender.flush();
      }
      long deadline = System.currentTimeMillis() + Math.max(60_000, n * 50L);
      while (healthy.stream().mapToInt(r -> r.firstArrival.size()).sum() < n * healthy.size()) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("fan-out did not finish in time");
        }
        Thread.sleep(20);
      }
      long last = 0;
      List<Double> latencies = new ArrayList<>();
      for (Receiver r : healthy) {
        for (Map.Entry<String, Long> e : r.firstArrival.entrySet()) {
          last = Math.max(last, e.getValue());
          latencies.add((double) Math.max(0, e.getValue() - acked.get(r.reportOf.get(e.getKey()))));
        }
      }
      double rate = latencies.size() / ((last - t0) / 1000.0);
      double p99 = Stats.percentile(latencies, 99);
      double limit = oneDead ? 0 : wrkLimit(env, healthy.get(0).server.actualPort());
      return new double[] {rate, p99, limit};
    } finally {
      receivers.close().await();
    }
  }

  private static double wrkLimit(Env env, int port) throws Exception {
    Path script = env.workDir().resolve("post.lua");
    Files.writeString(script, String.join("\n",
        "wrk.method = \"POST\"",
        "wrk.headers[\"Content-Type\"] = \"application/json\"",
        "wrk.headers[\"webhook-id\"] = \"msg_wrk\"",
        "wrk.body = '{\"type\":\"report.published\",\"data\":{\"id\":\"wrk\"}}'", ""));
    return Tools.wrk("http://127.0.0.1:" + port + "/hook", 32, env.seconds(5, 1), script, List.of()).rps();
  }
}
