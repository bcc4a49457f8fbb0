package org.bulletin.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.bulletin.feed.view.FeedKey;
import org.bulletin.feed.websub.WebSubHub;
import org.bulletin.schema.MeetingReport;

/**
 * Scenario 11: one change to a topic with 10,000 WebSub subscribers. Every subscription goes
 * through the real hub: {@code POST /websub}, then the hub's verification GET, answered by the
 * Node.js receiver (callbacks {@code /ws/<i>} spread over its servers). Then one report of the
 * crowded district is published, and each subscriber's change-to-delivery is measured: from just
 * before the report is sent to Kafka to the receiver's receipt of the document naming it. While
 * that fans out, a report of another district is published every 200 ms; that district's feed
 * has one WebSub subscriber and a webhook endpoint (filtered on it) gets it too: their latencies,
 * beside the same measured when nothing fans out, say whether the crowd blocks others.
 */
final class HubFanOutScenario {
  private static final String CROWD = "Hub Bench Crowd";
  private static final String QUIET = "Hub Bench Quiet";
  private static final int SERVERS = 4;
  private static final long OTHERS_EVERY_MS = 200;
  private static final int SUBSCRIBING_AT_ONCE = 100;

  private HubFanOutScenario() {}

  static List<Figure> run(Env env) throws Exception {
    int n = Integer.getInteger("bench.hub.subscribers", env.size(10_000, 50));
    int quietReports = env.size(20, 3);
    Map<String, List<Double>> f = new HashMap<>();
    for (int run = 0; run < env.runs(); run++) {
      once(env, n, quietReports, run).forEach((k, v) -> f.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
    }
    String s = "11. WebSub fan-out (one change to " + n + " subscribers; another topic and a webhook meanwhile)";
    Stats p99 = new Stats("ms", f.get("p99"));
    Stats lost = new Stats("deliveries", f.get("lost"));
    List<Figure> out = new ArrayList<>();
    out.add(new Figure(s, "subscribing " + n + " (POST /websub, verified, active)", new Stats("s", f.get("subscribe")),
        null, null));
    out.add(new Figure(s, "change to delivery p50, " + n + " subscribers", new Stats("ms", f.get("p50")), null, null));
    out.add(new Figure(s, "change to delivery p99, " + n + " subscribers", p99, null, null));
    out.add(new Figure(s, "change to delivery max, " + n + " subscribers", new Stats("ms", f.get("max")), null, null));
    for (String who : List.of("other topic's subscriber", "webhook")) {
      String k = who.equals("webhook") ? "hook" : "other";
      out.add(new Figure(s, who + " p99, idle", new Stats("ms", f.get(k + "Idle")), null, null));
      out.add(new Figure(s, who + " p99, during the fan-out", new Stats("ms", f.get(k + "Busy")), null, null));
      out.add(new Figure(s, who + " max, during the fan-out", new Stats("ms", f.get(k + "BusyMax")), null, null));
    }
    out.add(new Figure(s, "deliveries lost", lost, "0", lost.max() == 0));
    return out;
  }

  private static Map<String, Double> once(Env env, int n, int quietReports, int run) throws Exception {
    Map<String, Double> r = new HashMap<>();
    try (NodeReceiver receiver = new NodeReceiver(env.workDir(), SERVERS);
        // All callbacks are on 127.0.0.1: the per-host verification limit would refuse most of them.
        Stack stack = new Stack(env.bootstrap(), Map.of("websub.verify.per.host.per.minute", "0"));
        EventSender sender = new EventSender(env.bootstrap(), stack.reportsTopic())) {
      // A topic exists once its document does: one report of each district first.
      sender.send(report("seed-crowd-" + run, CROWD));
      sender.send(report("seed-quiet-" + run, QUIET));
      sender.flush();
      stack.startFeed();
      WebSubHub hub = stack.feed().hub();
      if (hub == null) {
        throw new IllegalStateException("the WebSub hub is off in the benchmark's feed service");
      }
      String crowdPath = FeedKey.district(CROWD).basePath() + ".atom";
      String quietPath = FeedKey.district(QUIET).basePath() + ".atom";
      await("the districts' feeds", () -> get(stack.url(crowdPath)) == 200 && get(stack.url(quietPath)) == 200);
      String crowdTopic = hub.catalog().topic(crowdPath);
      String quietTopic = hub.catalog().topic(quietPath);
      Deliveries deliveries = new Deliveries(stack, receiver);
      deliveries.subscribe(receiver.url(0, "/hook"), new JsonObject().put("districts", new JsonArray().add(QUIET)));

      long t0 = System.nanoTime();
      subscribeAll(stack, receiver, crowdTopic, n);
      subscribe(stack, quietTopic, receiver.url(0, "/quiet"));
      await("every subscription active", () -> hub.subscriptions().active(crowdTopic, Instant.now()).size() == n
          && hub.subscriptions().active(quietTopic, Instant.now()).size() == 1);
      r.put("subscribe", (System.nanoTime() - t0) / 1e9);
      await("this instance distributing", hub::distributing);
      System.out.printf("bench: %d WebSub subscriptions verified through POST /websub in %.1f s (%d verification"
          + " GETs answered)%n", n, r.get("subscribe"), receiver.verified());

      // Idle: the other topic's subscriber and the webhook alone.
      Map<String, Long> sent = new HashMap<>();
      publishQuiet(sender, sent, "qi" + run + "-", quietReports, null);
      int lost = awaitQuiet(deliveries, sent, "qi" + run + "-", quietReports);
      r.put("otherIdle", p(latencies(deliveries, sent, "qi" + run + "-", "/quiet"), 99));
      r.put("hookIdle", p(latencies(deliveries, sent, "qi" + run + "-", "/hook"), 99));

      // Busy: one change to the crowd, and the other topic's reports while it fans out.
      String change = "crowd-" + run;
      long changedAt = System.currentTimeMillis();
      sender.send(report(change, CROWD));
      sender.flush();
      CompletableFuture<Integer> crowd = CompletableFuture.supplyAsync(() -> {
        try {
          return deliveries.await(change, n, 60_000);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, command -> new Thread(command, "bench-hub-crowd").start());
      int busy = publishQuiet(sender, sent, "qb" + run + "-", 10_000, crowd);
      lost += n - crowd.join(); // before reading the receipts again: that thread adds to them
      lost += awaitQuiet(deliveries, sent, "qb" + run + "-", busy);
      List<Double> toCrowd = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (NodeReceiver.Receipt receipt : List.copyOf(deliveries.receipts)) {
        if (receipt.reportId().equals(change) && receipt.path().startsWith("/ws/") && seen.add(receipt.path())) {
          toCrowd.add((double) (receipt.at() - changedAt));
        }
      }
      r.put("p50", p(toCrowd, 50));
      r.put("p99", p(toCrowd, 99));
      r.put("max", p(toCrowd, 100));
      List<Double> other = latencies(deliveries, sent, "qb" + run + "-", "/quiet");
      List<Double> hook = latencies(deliveries, sent, "qb" + run + "-", "/hook");
      r.put("otherBusy", p(other, 99));
      r.put("otherBusyMax", p(other, 100));
      r.put("hookBusy", p(hook, 99));
      r.put("hookBusyMax", p(hook, 100));
      r.put("lost", (double) lost);
      System.out.printf("bench: %d other-topic reports sent during the fan-out; crowd delivered %d of %d%n", busy,
          seen.size(), n);
    }
    return r;
  }

  /** POSTs {@code n} subscriptions, a bounded number at once; retries a 503 (verifications pending). */
  private static void subscribeAll(Stack stack, NodeReceiver receiver, String topic, int n) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Semaphore open = new Semaphore(SUBSCRIBING_AT_ONCE);
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      open.acquire();
      String callback = receiver.url(i % SERVERS, "/ws/" + i);
      all.add(postUntilAccepted(http, stack, topic, callback, 20).whenComplete((v, e) -> open.release()));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
  }

  private static CompletableFuture<Void> postUntilAccepted(HttpClient http, Stack stack, String topic,
      String callback, int triesLeft) {
    return http.sendAsync(request(stack, topic, callback), HttpResponse.BodyHandlers.ofString()).thenCompose(resp -> {
      if (resp.statusCode() == 202) {
        return CompletableFuture.completedFuture(null);
      }
      if (resp.statusCode() == 503 && triesLeft > 0) {
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(200,
            java.util.concurrent.TimeUnit.MILLISECONDS, command -> new Thread(command).start()))
            .thenCompose(v -> postUntilAccepted(http, stack, topic, callback, triesLeft - 1));
      }
      throw new IllegalStateException("subscription of " + callback + " refused: " + resp.statusCode() + " "
          + resp.body());
    });
  }

  private static void subscribe(Stack stack, String topic, String callback) throws Exception {
    postUntilAccepted(HttpClient.newHttpClient(), stack, topic, callback, 20).join();
  }

  private static HttpRequest request(Stack stack, String topic, String callback) {
    String form = "hub.mode=subscribe&hub.topic=" + URLEncoder.encode(topic, StandardCharsets.UTF_8)
        + "&hub.callback=" + URLEncoder.encode(callback, StandardCharsets.UTF_8);
    return HttpRequest.newBuilder(URI.create(stack.url("/websub")))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build();
  }

  /**
   * Sends reports of the quiet district every {@value #OTHERS_EVERY_MS} ms, {@code max} of them or
   * until {@code until} completes (at least one); returns how many were sent.
   */
  private static int publishQuiet(EventSender sender, Map<String, Long> sent, String prefix, int max,
      CompletableFuture<?> until) throws Exception {
    int i = 0;
    long start = System.nanoTime();
    while (i < max && (i == 0 || until == null || !until.isDone())) {
      long wait = start + i * OTHERS_EVERY_MS * 1_000_000L - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      String id = prefix + i;
      sent.put(id, System.currentTimeMillis());
      sender.send(report(id, QUIET));
      sender.flush();
      i++;
    }
    return i;
  }

  /** Waits for {@code count} reports at both the quiet subscriber and the webhook; returns how many were lost. */
  private static int awaitQuiet(Deliveries deliveries, Map<String, Long> sent, String prefix, int count)
      throws Exception {
    // The WebSub subscriber gets the newest report named first; reports sent faster than the
    // document changes may share one delivery, so each report counts as delivered when a document
    // naming it or a later one arrived.
    long deadline = System.currentTimeMillis() + 30_000;
    while (true) {
      deliveries.collect();
      int lost = 0;
      for (String path : List.of("/quiet", "/hook")) {
        lost += count - latencies(deliveries, sent, prefix, path).size();
      }
      if (lost == 0 || System.currentTimeMillis() > deadline) {
        if (lost > 0) {
          System.out.printf("bench: of %d reports %s*, %d did not reach /quiet and %d not /hook%n", count, prefix,
              count - latencies(deliveries, sent, prefix, "/quiet").size(),
              count - latencies(deliveries, sent, prefix, "/hook").size());
        }
        return lost;
      }
      Thread.sleep(100);
    }
  }

  /**
   * Per report sent with {@code prefix}: milliseconds from its send to the first receipt at
   * {@code path} of it or of a later report of the same series (a feed document names all).
   */
  private static List<Double> latencies(Deliveries deliveries, Map<String, Long> sent, String prefix, String path) {
    Map<Integer, Long> firstAt = new HashMap<>();
    for (NodeReceiver.Receipt r : List.copyOf(deliveries.receipts)) {
      if (r.path().equals(path) && r.reportId().startsWith(prefix)) {
        firstAt.merge(Integer.parseInt(r.reportId().substring(prefix.length())), r.at(), Math::min);
      }
    }
    List<Double> out = new ArrayList<>();
    sent.forEach((id, at) -> {
      if (!id.startsWith(prefix)) {
        return;
      }
      int i = Integer.parseInt(id.substring(prefix.length()));
      long first = Long.MAX_VALUE;
      for (var e : firstAt.entrySet()) {
        if (e.getKey() >= i && (!path.equals("/hook") || e.getKey() == i)) {
          first = Math.min(first, e.getValue());
        }
      }
      if (first != Long.MAX_VALUE) {
        out.add((double) (first - at));
      }
    });
    return out;
  }

  private static double p(List<Double> samples, double percentile) {
    return samples.isEmpty() ? Double.NaN : Stats.percentile(samples, percentile);
  }

  private static int get(String url) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static void await(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + 600_000_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("gave up waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private static MeetingReport report(String id, String district) {
    MeetingReport r = EventSender.report(id, 1500);
    return new MeetingReport(r.id(), r.title(), r.publishedDate(), r.meetingDate(), district, r.presider(),
        r.attendees(), r.source(), r.sourceUrl(), r.body(), r.summary(), r.tags(), r.language());
  }
}
