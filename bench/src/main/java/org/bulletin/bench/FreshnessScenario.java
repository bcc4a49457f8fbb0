package org.bulletin.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario 2: from the producer's acknowledged send to the item in the served feed, at 50
 * events/s. A poller asks for the JSON feed every 2 ms with If-None-Match, so a change is seen
 * within about 2 ms of being served. The document holds {@value #ITEMS_PER_DOCUMENT} items (one
 * second of events): an item is only seen if a poll lands while it is among them. The full run
 * (3,000 events) requires every one to be seen; the smoke run publishes fewer events than the
 * document holds, so a poller starved by a busy machine still sees every item (late, not never).
 */
final class FreshnessScenario {
  static final int ITEMS_PER_DOCUMENT = 50;
  /** Events of a smoke run: fewer than a document holds, so none scrolls out before a poll. */
  static final int SMOKE_EVENTS = ITEMS_PER_DOCUMENT * 4 / 5;
  private static final Pattern ID = Pattern.compile("\"url\" : \"[^\"]*/reports/(fresh-[0-9]+-[0-9]+)\"");

  private FreshnessScenario() {}

  static List<Figure> run(Env env) throws Exception {
    List<Double> p50 = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    List<Double> max = new ArrayList<>();
    int seconds = 60;
    int total = env.smoke() ? SMOKE_EVENTS : 50 * seconds;
    for (int run = 0; run < env.runs(); run++) {
      try (Stack stack = new Stack(env.bootstrap(),
              Map.of("feed.items.per.document", String.valueOf(ITEMS_PER_DOCUMENT)));
          EventSender sender = new EventSender(env.bootstrap(), stack.reportsTopic())) {
        stack.startFeed();
        Map<String, Long> acked = new ConcurrentHashMap<>();
        Map<String, Long> seen = new ConcurrentHashMap<>();
        Thread poller = new Thread(() -> poll(stack.url("/feeds/reports.json"), seen, total));
        poller.start();
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
          long due = start + i * 20_000_000L;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
          String id = "fresh-" + run + "-" + i;
          sender.send(EventSender.report(id, 1500)).thenAccept(t -> acked.put(id, t));
        }
        poller.join(30_000);
        List<Double> latencies = new ArrayList<>();
        acked.forEach((id, t) -> {
          Long s = seen.get(id);
          if (s != null) {
            latencies.add((double) Math.max(0, s - t));
          }
        });
        if (latencies.size() < total) {
          throw new IllegalStateException("only " + latencies.size() + " of " + total + " items were seen in the "
              + ITEMS_PER_DOCUMENT + "-item document; the others scrolled out between two polls (a poll gap over "
              + ITEMS_PER_DOCUMENT * 20 + " ms: is the machine too busy?) or never appeared");
        }
        p50.add(Stats.percentile(latencies, 50));
        p99.add(Stats.percentile(latencies, 99));
        max.add(Stats.percentile(latencies, 100));
      }
    }
    String s = env.smoke() ? "2. Freshness (50 events/s, " + total + " events, ack to served)"
        : "2. Freshness (50 events/s for " + seconds + " s, ack to served)";
    Stats p99s = new Stats("ms", p99);
    return List.of(new Figure(s, "p50", new Stats("ms", p50), null, null),
        new Figure(s, "p99", p99s, "<= 50 ms", p99s.median() <= 50),
        new Figure(s, "max", new Stats("ms", max), null, null));
  }

  private static void poll(String url, Map<String, Long> seen, int total) {
    HttpClient http = HttpClient.newHttpClient();
    String etag = "\"none\"";
    long deadline = System.nanoTime() + 600_000_000_000L;
    while (seen.size() < total && System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("If-None-Match", etag)
            .build(), HttpResponse.BodyHandlers.ofString());
        long now = System.currentTimeMillis();
        if (r.statusCode() == 200) {
          etag = r.headers().firstValue("ETag").orElse(etag);
          Matcher m = ID.matcher(r.body());
          while (m.find()) {
            seen.putIfAbsent(m.group(1), now);
          }
        }
        Thread.sleep(2);
      } catch (Exception e) {
        return;
      }
    }
  }
}
