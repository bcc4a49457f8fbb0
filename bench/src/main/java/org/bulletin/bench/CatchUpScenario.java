package org.bulletin.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Scenario 3: events/s the feed service materializes when it starts behind N reports of about
 * 2 KB, beside a bare kafka-clients consumer reading the same topic (the limit); then, on the
 * instance that just caught up, the latency of archive pages and report pages nobody asked for
 * before (each URL requested once, so every one is read back from Kafka and rendered).
 */
final class CatchUpScenario {
  private static final int ITEMS_PER_DOCUMENT = 50; // feed.items.per.document's default

  private CatchUpScenario() {}

  static List<Figure> run(Env env) throws Exception {
    int n = env.size(1_000_000, 2_000);
    int coldRequests = env.size(500, 20);
    String topic = env.reportsTopic(n);
    List<Double> feedRate = new ArrayList<>();
    List<Double> bareRate = new ArrayList<>();
    List<Double> ratio = new ArrayList<>();
    List<Double> archiveP99 = new ArrayList<>();
    List<Double> reportP99 = new ArrayList<>();
    List<Double> archiveP50 = new ArrayList<>();
    List<Double> reportP50 = new ArrayList<>();
    // Webhooks off: a fresh fan-out group would read the whole topic beside the view, which an
    // instance restarted in production (its group has committed offsets) never does.
    try (Stack stack = new Stack(env.bootstrap(), Map.of("topics.reports", topic, "webhook.enabled", "false",
        "websub.enabled", "false"))) {
      for (int run = 0; run < env.runs(); run++) {
        double bare = n / (bareConsumerMillis(env.bootstrap(), topic, n) / 1000.0);
        double feed = n / (stack.startFeed() / 1000.0);
        bareRate.add(bare);
        feedRate.add(feed);
        ratio.add(feed / bare);
        // A fresh instance: its caches hold only what catching up put there.
        SplittableRandom random = new SplittableRandom(run);
        List<Double> archive = cold(stack, archivePaths(n, coldRequests, random));
        List<Double> report = cold(stack, reportPaths(n, coldRequests, random));
        archiveP99.add(Stats.percentile(archive, 99));
        reportP99.add(Stats.percentile(report, 99));
        archiveP50.add(Stats.percentile(archive, 50));
        reportP50.add(Stats.percentile(report, 50));
        stack.stopFeed();
      }
    }
    String s = "3. Catch-up (" + n + " reports of ~2 KB)";
    Stats r = new Stats("x bare", ratio);
    String c = "3. Cold pages (" + n + " reports; " + coldRequests + " distinct URLs of each kind, one at a time)";
    Stats a99 = new Stats("ms", archiveP99);
    Stats r99 = new Stats("ms", reportP99);
    return List.of(new Figure(s, "feed service events/s", new Stats("events/s", feedRate), null, null),
        new Figure(s, "bare consumer events/s", new Stats("events/s", bareRate), null, null),
        new Figure(s, "feed service / bare consumer", r, ">= 0.5x", r.median() >= 0.5),
        new Figure(c, "archive page p50", new Stats("ms", archiveP50), null, null),
        new Figure(c, "archive page p99", a99, "< 50 ms", a99.median() < 50),
        new Figure(c, "report page p50", new Stats("ms", reportP50), null, null),
        new Figure(c, "report page p99", r99, "< 50 ms", r99.median() < 50));
  }

  /** Milliseconds of each GET, one after the other; every answer must be a 200. */
  private static List<Double> cold(Stack stack, List<String> paths) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<Double> millis = new ArrayList<>();
    for (String path : paths) {
      long t0 = System.nanoTime();
      HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(URI.create(stack.url(path))).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      millis.add((System.nanoTime() - t0) / 1e6);
      if (res.statusCode() != 200) {
        throw new IllegalStateException("GET " + path + " answered " + res.statusCode());
      }
    }
    return millis;
  }

  /** Distinct full archive pages of the topic {@link EventSender#spreadReport} filled. */
  private static List<String> archivePaths(int n, int count, SplittableRandom random) {
    Map<Integer, Integer> perMonth = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      LocalDate d = EventSender.SPREAD_FROM.minusDays(i % EventSender.SPREAD_DAYS);
      perMonth.merge(d.getYear() * 100 + d.getMonthValue(), 1, Integer::sum);
    }
    List<String> all = new ArrayList<>();
    // The newest month gives its newest reports to the current document; leave it out.
    int newest = EventSender.SPREAD_FROM.getYear() * 100 + EventSender.SPREAD_FROM.getMonthValue();
    perMonth.forEach((ym, reports) -> {
      if (ym == newest) {
        return;
      }
      for (int page = 1; page <= Math.max(1, reports / ITEMS_PER_DOCUMENT); page++) {
        String month = String.format("%04d-%02d", ym / 100, ym % 100);
        all.add("/feeds/reports/archive/" + (page == 1 ? month : month + "-" + page) + ".atom");
      }
    });
    return draw(all, count, random);
  }

  private static List<String> reportPaths(int n, int count, SplittableRandom random) {
    List<String> out = new ArrayList<>();
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    while (out.size() < Math.min(count, n)) {
      int i = random.nextInt(n);
      if (seen.add(i)) {
        out.add("/reports/history-" + i);
      }
    }
    return out;
  }

  private static List<String> draw(List<String> all, int count, SplittableRandom random) {
    List<String> pool = new ArrayList<>(all);
    List<String> out = new ArrayList<>();
    while (out.size() < count && !pool.isEmpty()) {
      out.add(pool.remove(random.nextInt(pool.size())));
    }
    return out;
  }

  static void fill(String bootstrap, String topic, int n, String prefix) throws Exception {
    try (EventSender sender = EventSender.likeTheProducer(bootstrap, topic)) {
      CompletableFuture<Long> last = null;
      for (int i = 0; i < n; i++) {
        last = sender.send(EventSender.spreadReport(prefix, i));
      }
      sender.flush();
      last.get();
    }
  }

  static long bareConsumerMillis(String bootstrap, String topic, int n) {
    long t0 = System.nanoTime();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000), new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      long count = 0;
      while (count < n) {
        count += c.poll(Duration.ofMillis(100)).count();
      }
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
