package org.bulletin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bulletin.feed.consume.DeadLetterPublisher;
import org.bulletin.schema.CloudEventCodec;
import org.bulletin.testkit.KafkaBroker;
import org.bulletin.testkit.KafkaBrokerExtension;
import org.bulletin.testkit.TopicReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class PoisonRecordsIT {

  private static RecordHeaders ce(String type) {
    RecordHeaders h = new RecordHeaders();
    h.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
    h.add("ce_id", "poison-1".getBytes(StandardCharsets.UTF_8));
    h.add("ce_source", "/test".getBytes(StandardCharsets.UTF_8));
    h.add("ce_type", type.getBytes(StandardCharsets.UTF_8));
    h.add("ce_time", "2024-01-01T00:00:00Z".getBytes(StandardCharsets.UTF_8));
    h.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
    return h;
  }

  @Test
  void poisonRecordsEndInTheDeadLetterTopicWithReasonsAndTheServiceCarriesOn(KafkaBroker broker) throws Exception {
    try (FeedFixture fixture = new FeedFixture(broker.bootstrapServers(), Map.of())) {
      FeedFixture.Feed feed = fixture.startFeed();
      String topic = fixture.config.string("topics.reports");
      String valid = "{\"id\":\"poison-key\",\"title\":\"T\",\"publishedDate\":\"2024-01-01\",\"body\":[\"b\"]}";
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
          broker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
        List<ProducerRecord<String, byte[]>> poison = List.of(
            new ProducerRecord<>(topic, null, "garbage", new byte[] {(byte) 0xde, (byte) 0xad, 0, 1},
                ce("dev.bulletin.report.published.v1")),
            new ProducerRecord<>(topic, null, "bad-schema", "{\"id\":\"bad-schema\",\"title\":42}"
                .getBytes(StandardCharsets.UTF_8), ce("dev.bulletin.report.published.v1")),
            new ProducerRecord<>(topic, null, "poison-key", valid.getBytes(StandardCharsets.UTF_8),
                ce("com.example.unknown.v1")),
            new ProducerRecord<>(topic, "no-headers", "{}".getBytes(StandardCharsets.UTF_8)));
        for (ProducerRecord<String, byte[]> r : poison) {
          producer.send(r).get(10, TimeUnit.SECONDS);
        }
      }
      String after = fixture.publishSample("guancheng-environment-notice.txt");
      FeedValidity.rss(feed.await("/feeds/reports.rss", b -> b.contains(after)).bodyAsString());
      FeedValidity.atom(feed.get("/feeds/reports.atom").bodyAsString());

      List<ConsumerRecord<String, byte[]>> dead = TopicReader.read(broker.bootstrapServers(),
          fixture.config.string("topics.reports.dlq"), 4, Duration.ofSeconds(20));
      Map<String, String> reasonByKey = dead.stream().collect(Collectors.toMap(
          r -> CloudEventCodec.header(r.headers(), "bulletin-dlq-key"),
          r -> CloudEventCodec.header(r.headers(), DeadLetterPublisher.REASON)));
      assertThat(reasonByKey).containsExactlyInAnyOrderEntriesOf(Map.of(
          "garbage", "not-json",
          "bad-schema", "schema-violation",
          "poison-key", "unknown-type",
          "no-headers", "missing-header"));
      assertThat(dead).allSatisfy(r -> {
        assertThat(CloudEventCodec.header(r.headers(), DeadLetterPublisher.DETAIL)).isNotBlank();
        assertThat(r.key()).startsWith(topic + "/");
      });
      assertThat(feed.get("/health/ready").statusCode()).isEqualTo(200);
      String metrics = fixture.client.get(feed.verticle.managementPort(), "127.0.0.1", "/metrics").send().await()
          .bodyAsString();
      assertThat(metrics).contains("bulletin_feed_dead_lettered_total{reason=\"not-json\"} 1.0")
          .contains("bulletin_feed_consumer_lag");
    }
  }

  private static RecordHeaders published(String id, String time) {
    RecordHeaders h = new RecordHeaders();
    h.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
    h.add("ce_id", ("other-" + id).getBytes(StandardCharsets.UTF_8));
    h.add("ce_source", "/another-producer".getBytes(StandardCharsets.UTF_8));
    h.add("ce_type", "dev.bulletin.report.published.v1".getBytes(StandardCharsets.UTF_8));
    h.add("ce_time", time.getBytes(StandardCharsets.UTF_8));
    h.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
    return h;
  }

  @Test
  void hostileTextAndLinksFromAnotherProducerRenderInertAndOutOfRangeDatesAreDeadLettered(KafkaBroker broker)
      throws Exception {
    try (FeedFixture fixture = new FeedFixture(broker.bootstrapServers(), Map.of())) {
      FeedFixture.Feed feed = fixture.startFeed();
      String topic = fixture.config.string("topics.reports");
      String now = java.time.Instant.now().toString();
      String hostile = "{\"id\":\"hostile\",\"title\":\"Budget\\u000bmeeting \\ufffe<b>bold</b>\","
          + "\"publishedDate\":\"2024-01-01\",\"body\":[\"Pasted\\u0008 text \\ud800 here\"],"
          + "\"source\":\"Partner site\",\"sourceUrl\":\"javascript:alert(document.cookie)\"}";
      String future = "{\"id\":\"far-future\",\"title\":\"T\",\"publishedDate\":\"9999-12-31\",\"body\":[\"b\"]}";
      String valid = "{\"id\":\"future-time\",\"title\":\"T\",\"publishedDate\":\"2024-01-01\",\"body\":[\"b\"]}";
      String ahead = "{\"id\":\"stamped-ahead\",\"title\":\"Stamped ahead\",\"publishedDate\":\"2024-01-01\",\"body\":[\"b\"]}";
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
          broker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
        for (ProducerRecord<String, byte[]> r : List.of(
            new ProducerRecord<>(topic, null, "hostile", hostile.getBytes(StandardCharsets.UTF_8), published("1", now)),
            new ProducerRecord<>(topic, null, "far-future", future.getBytes(StandardCharsets.UTF_8), published("2", now)),
            new ProducerRecord<>(topic, null, "future-time", valid.getBytes(StandardCharsets.UTF_8),
                published("3", "9999-12-31T00:00:00Z")),
            // Twenty hours ahead of this host: accepted (a time zone, or a skewed clock), never a future Last-Modified.
            new ProducerRecord<>(topic, null, "stamped-ahead", ahead.getBytes(StandardCharsets.UTF_8),
                published("4", java.time.Instant.now().plus(Duration.ofHours(20)).toString())))) {
          producer.send(r).get(10, TimeUnit.SECONDS);
        }
      }
      String after = fixture.publishSample("guancheng-environment-notice.txt");

      var rssResponse = feed.await("/feeds/reports.rss", b -> b.contains(after) && b.contains("Budgetmeeting")
          && b.contains("Stamped ahead"));
      FeedValidity.rss(rssResponse.bodyAsString());
      java.time.Instant lastModified = java.time.ZonedDateTime.parse(rssResponse.getHeader("Last-Modified"),
          java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      assertThat(lastModified).as("Last-Modified is never in the future").isBeforeOrEqualTo(java.time.Instant.now());
      FeedValidity.atom(feed.await("/feeds/reports.atom", b -> b.contains("Budgetmeeting")).bodyAsString());
      FeedValidity.json(feed.await("/feeds/reports.json", b -> b.contains("Budgetmeeting")).bodyAsString());
      var page = feed.await("/reports/hostile", b -> b.contains("Budgetmeeting"));
      assertThat(page.bodyAsString()).contains("&lt;b&gt;bold&lt;/b&gt;", "<dd>Partner site</dd>")
          .doesNotContainIgnoringCase("javascript").doesNotContain("\u000b", "\ufffe");
      assertThat(page.getHeader("Content-Security-Policy")).startsWith("default-src 'none'");
      assertThat(page.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(page.getHeader("Referrer-Policy")).isNotBlank();

      List<ConsumerRecord<String, byte[]>> dead = TopicReader.read(broker.bootstrapServers(),
          fixture.config.string("topics.reports.dlq"), 2, Duration.ofSeconds(20));
      assertThat(dead.stream().collect(Collectors.toMap(r -> CloudEventCodec.header(r.headers(), "bulletin-dlq-key"),
          r -> CloudEventCodec.header(r.headers(), DeadLetterPublisher.REASON))))
          .containsExactlyInAnyOrderEntriesOf(Map.of("far-future", "date-out-of-range", "future-time", "time-out-of-range"));
      var ready = feed.get("/health/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      var rendering = ready.bodyAsJsonObject().getJsonObject("components").getJsonObject("rendering");
      assertThat(rendering.getLong("renderFailures")).isZero();
      assertThat(rendering.getInteger("failingDocuments")).isZero();
    }
  }

  private static RecordHeaders version(String type, String id) {
    RecordHeaders h = ce(type);
    h.remove("ce_id");
    h.add("ce_id", id.getBytes(StandardCharsets.UTF_8));
    return h;
  }

  @Test
  void catchingUpKeepsTheNewestValidVersionAndDeadLettersARejectedNewerOne(KafkaBroker broker) throws Exception {
    try (FeedFixture fixture = new FeedFixture(broker.bootstrapServers(), Map.of())) {
      String topic = fixture.config.string("topics.reports");
      String published = "dev.bulletin.report.published.v1";
      String corrected = "dev.bulletin.report.corrected.v1";
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
          broker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
        List<ProducerRecord<String, byte[]>> history = List.of(
            new ProducerRecord<>(topic, null, "kept", report("kept", "First version"), version(published, "k1")),
            new ProducerRecord<>(topic, null, "kept", report("kept", "Second version"), version(corrected, "k2")),
            new ProducerRecord<>(topic, null, "kept", "{\"id\":\"kept\",\"title\":42}".getBytes(StandardCharsets.UTF_8),
                version(corrected, "k3")),
            new ProducerRecord<>(topic, null, "fixed", report("fixed", "Early draft"), version(published, "f1")),
            new ProducerRecord<>(topic, null, "fixed", report("fixed", "Fixed version"), version(corrected, "f2")));
        for (ProducerRecord<String, byte[]> r : history) {
          producer.send(r).get(10, TimeUnit.SECONDS);
        }
      }
      // The whole history is in the topic before the feed service starts: it catches up over it.
      FeedFixture.Feed feed = fixture.startFeed();

      assertThat(feed.await("/reports/kept", b -> b.contains("Second version")).bodyAsString())
          .doesNotContain("First version");
      assertThat(feed.await("/reports/fixed", b -> b.contains("Fixed version")).bodyAsString())
          .doesNotContain("Early draft");
      List<ConsumerRecord<String, byte[]>> dead = TopicReader.read(broker.bootstrapServers(),
          fixture.config.string("topics.reports.dlq"), 1, Duration.ofSeconds(20));
      assertThat(CloudEventCodec.header(dead.get(0).headers(), "bulletin-dlq-key")).isEqualTo("kept");
      assertThat(CloudEventCodec.header(dead.get(0).headers(), DeadLetterPublisher.REASON)).isEqualTo("schema-violation");
      // "First version" and "Early draft" were skipped undecoded (one poll held the whole history).
      String metrics = fixture.client.get(feed.verticle.managementPort(), "127.0.0.1", "/metrics").send().await()
          .bodyAsString();
      assertThat(metrics).contains("bulletin_feed_events_consumed_total{type=\"superseded\"} 2.0");
    }
  }

  private static byte[] report(String id, String title) {
    return ("{\"id\":\"" + id + "\",\"title\":\"" + title + "\",\"publishedDate\":\"2024-01-01\",\"body\":[\"b\"]}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
