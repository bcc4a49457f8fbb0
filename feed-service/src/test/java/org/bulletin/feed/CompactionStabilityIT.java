package org.bulletin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bulletin.testkit.KafkaBroker;
import org.bulletin.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Archives are a function of what compaction keeps: pages saved from a long-running instance are
 * served byte for byte, with the same ETags, by an instance rebuilt after the cleaner removed the
 * superseded versions and the retractions, and still by the long-running one.
 */
@ExtendWith(KafkaBrokerExtension.class)
class CompactionStabilityIT {
  private static final int PARTITIONS = 3;
  private final KafkaBroker broker;
  private FeedFixture fixture;

  CompactionStabilityIT(KafkaBroker broker) {
    this.broker = broker;
  }

  @AfterEach
  void tearDown() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static JsonObject report(String id, LocalDate published, String title) {
    return new JsonObject().put("id", id).put("title", title).put("publishedDate", published.toString())
        .put("district", id.hashCode() % 2 == 0 ? "Erqi District" : "Huiji District")
        .put("body", new JsonArray().add("Body of " + id + ", " + title));
  }

  @Test
  void archivePagesAreByteIdenticalWithTheSameEtagsAfterCompactionOnARebuiltAndALongRunningInstance()
      throws Exception {
    // Few decoded reports fit the cache: archive pages read most of their reports back from Kafka.
    fixture = new FeedFixture(broker.bootstrapServers(), Map.of("feed.items.per.document", "10",
        "feed.report.cache.bytes", "65536"));
    String topic = fixture.config.string("topics.reports");
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      // The producer created the topic (compacted); make its cleaner eager.
      List<AlterConfigOp> ops = new ArrayList<>();
      Map.of("cleanup.policy", "compact", "segment.ms", "100", "min.compaction.lag.ms", "0",
          "min.cleanable.dirty.ratio", "0.001", "delete.retention.ms", "0")
          .forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
      admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), ops)).all().get();
      assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions())
          .hasSize(PARTITIONS);
    }
    FeedFixture.Feed longRunning = fixture.startFeed();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      String id = String.format("report-%03d", i);
      ids.add(id);
      fixture.ingest(HttpMethod.POST, "/v1/reports", "application/json",
          report(id, LocalDate.of(2024, 1, 1).plusDays(i * 2L), "Report " + i).encode());
    }
    for (int i = 0; i < 120; i += 2) {
      fixture.ingest(HttpMethod.PUT, "/v1/reports/" + ids.get(i), "application/json",
          report(ids.get(i), LocalDate.of(2024, 1, 1).plusDays(i * 2L), "Report " + i + " (corrected)").encode());
    }
    for (int i = 1; i < 30; i += 6) {
      fixture.ingest(HttpMethod.DELETE, "/v1/reports/" + ids.get(i), null, null);
    }
    longRunning.await("/feeds/reports.rss", b -> b.contains("Report 118 (corrected)"));
    longRunning.await("/feeds/reports.atom", b -> b.contains("report/report-025\""));

    Map<String, HttpResponse<Buffer>> saved = savePages(longRunning);
    assertThat(saved.keySet().stream().filter(p -> p.startsWith("/feeds/reports/archive/")).count())
        .as("archive pages of the all-reports feed, three formats").isGreaterThanOrEqualTo(3 * 10);
    // The chain of current document and archive pages holds every live report exactly once.
    List<String> chain = new ArrayList<>();
    java.util.regex.Matcher entry = java.util.regex.Pattern.compile("<id>tag:bulletin.dev,2024:report/([a-z0-9-]+)</id>")
        .matcher(longRunning.get("/feeds/reports.atom").bodyAsString() + saved.entrySet().stream()
            .filter(e -> e.getKey().startsWith("/feeds/reports/archive/") && e.getKey().endsWith(".atom"))
            .map(e -> e.getValue().bodyAsString()).reduce("", String::concat));
    while (entry.find()) {
      chain.add(entry.group(1));
    }
    assertThat(chain).doesNotHaveDuplicates().hasSize(120 - 5);
    int before = recordCount(topic);

    compact(topic);

    FeedFixture.Feed rebuilt = fixture.startFeed();
    for (Map.Entry<String, HttpResponse<Buffer>> page : saved.entrySet()) {
      for (FeedFixture.Feed instance : List.of(rebuilt, longRunning)) {
        HttpResponse<Buffer> now = instance.get(page.getKey());
        assertThat(now.statusCode()).as(page.getKey()).isEqualTo(200);
        assertThat(now.bodyAsString()).as(page.getKey()).isEqualTo(page.getValue().bodyAsString());
        assertThat(now.getHeader("ETag")).as(page.getKey()).isEqualTo(page.getValue().getHeader("ETag"));
        assertThat(now.getHeader("Last-Modified")).as(page.getKey())
            .isEqualTo(page.getValue().getHeader("Last-Modified"));
      }
    }
    assertThat(recordCount(topic)).as("records left after compaction (%d before)", before).isLessThan(before);
  }

  /** Every archive page of the all-reports feed and of one district's, in the three formats. */
  private static Map<String, HttpResponse<Buffer>> savePages(FeedFixture.Feed feed) {
    Map<String, HttpResponse<Buffer>> pages = new LinkedHashMap<>();
    for (String base : List.of("/feeds/reports", "/feeds/districts/erqi-district")) {
      String next = prevArchive(feed.get(base + ".atom").bodyAsString());
      while (next != null) {
        for (String extension : List.of("atom", "rss", "json")) {
          String path = next.replace(".atom", "." + extension);
          HttpResponse<Buffer> response = feed.get(path);
          assertThat(response.statusCode()).as(path).isEqualTo(200);
          pages.put(path, response);
        }
        next = prevArchive(pages.get(next).bodyAsString());
      }
    }
    return pages;
  }

  private static String prevArchive(String atom) {
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("<link rel=\"prev-archive\" [^>]*href=\"http://feeds.test([^\"]+)\"").matcher(atom);
    return m.find() ? m.group(1) : null;
  }

  /**
   * Writes a tombstone of an unknown report to every partition every 2 s, so segments roll and the
   * cleaner runs, until the topic holds one record per report (bounded wait).
   */
  private void compact(String topic) throws Exception {
    Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
        new ByteArraySerializer())) {
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      for (int round = 0; ; round++) {
        for (int p = 0; p < PARTITIONS; p++) {
          producer.send(new ProducerRecord<>(topic, p, "filler-" + round + "-" + p, null)).get();
        }
        Map<String, Integer> perKey = recordsPerKey(topic);
        boolean compacted = perKey.values().stream().allMatch(n -> n == 1);
        if (compacted) {
          return;
        }
        assertThat(System.nanoTime()).as("the cleaner compacted the topic within 90 s (%s)", perKey)
            .isLessThan(deadline);
        Thread.sleep(2000);
      }
    }
  }

  private int recordCount(String topic) {
    return recordsPerKey(topic).values().stream().mapToInt(Integer::intValue).sum();
  }

  private Map<String, Integer> recordsPerKey(String topic) {
    Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, Integer> perKey = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        partitions.add(new TopicPartition(topic, p));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        assertThat(System.nanoTime()).as("read the topic to its end").isLessThan(deadline);
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.key() != null && !r.key().startsWith("filler-")) {
            perKey.merge(r.key(), 1, Integer::sum);
          }
        }
      }
    }
    return perKey;
  }
}
