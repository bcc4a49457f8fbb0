package org.bulletin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bulletin.schema.CloudEventCodec;
import org.bulletin.schema.MeetingReport;
import org.bulletin.schema.ReportEvent;
import org.bulletin.testkit.KafkaBroker;
import org.bulletin.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A rebuild that the old design (every version's content in memory) could not hold: 40,000
 * reports with 2 KB of body each are 80 MB of body text alone, and the feed service runs with a
 * 64 MB heap. It must become ready and serve every kind of document.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SmallHeapRebuildIT {
  private static final int REPORTS = 40_000;
  private final KafkaBroker broker;
  private FeedFixture fixture;

  SmallHeapRebuildIT(KafkaBroker broker) {
    this.broker = broker;
  }

  @AfterEach
  void tearDown() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void fortyThousandReportsOfTwoKilobytesRebuildAndServeInASixtyFourMegabyteHeap() throws Exception {
    fixture = new FeedFixture(broker.bootstrapServers(), Map.of("feed.items.per.document", "20",
        "feed.report.cache.bytes", String.valueOf(4 << 20), "feed.page.cache.bytes", String.valueOf(4 << 20),
        "feed.http.instances", "1"));
    String topic = fixture.config.string("topics.reports");
    String body = "The meeting reviewed the quarter's indicators and the progress of key projects. ".repeat(26)
        .substring(0, 2048);
    CloudEventCodec codec = new CloudEventCodec();
    Instant start = Instant.now().minusSeconds(3600);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 20,
        ProducerConfig.BATCH_SIZE_CONFIG, 262_144, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
        new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < REPORTS; i++) {
        String id = String.format("report-%05d", i);
        MeetingReport report = new MeetingReport(id, "Meeting report " + i, LocalDate.of(2020, 1, 1).plusDays(i / 20),
            null, "District " + (i % 8), null, null, null, null, List.of(body + i), null, List.of("economy"), "en");
        producer.send(codec.encode(topic, ReportEvent.published(report, start.plusMillis(i), "/it")));
      }
      producer.flush();
    }

    Process feed = fixture.startFeedProcess(Duration.ofSeconds(180), "-Xmx64m", "-XX:+ExitOnOutOfMemoryError");
    int port = fixture.lastProcessPort;
    JsonObject health = get(port, "/health/ready").bodyAsJsonObject();
    assertThat(health.getInteger("reports")).isEqualTo(REPORTS);

    String current = get(port, "/feeds/reports.atom").bodyAsString();
    assertThat(current).contains("report-39999");
    // Walk a few archive pages back from the current document: each is read back from Kafka.
    String next = prevArchive(current);
    for (int i = 0; i < 5 && next != null; i++) {
      HttpResponse<Buffer> page = get(port, next);
      assertThat(page.statusCode()).as(next).isEqualTo(200);
      assertThat(page.bodyAsString()).as(next).contains("<fh:archive");
      next = prevArchive(page.bodyAsString());
    }
    HttpResponse<Buffer> oldest = get(port, "/feeds/reports/archive/2020-01.json");
    assertThat(oldest.statusCode()).isEqualTo(200);
    assertThat(oldest.bodyAsString()).contains("report-00000");
    for (String id : List.of("report-00000", "report-12345", "report-39999")) {
      assertThat(get(port, "/reports/" + id).statusCode()).as(id).isEqualTo(200);
    }
    assertThat(feed.isAlive()).as("no OutOfMemoryError (see target/feed-process.log)").isTrue();
  }

  private HttpResponse<Buffer> get(int port, String path) {
    return fixture.client.get(port, "127.0.0.1", path).send().await();
  }

  private static String prevArchive(String atom) {
    Matcher m = Pattern.compile("<link rel=\"prev-archive\" [^>]*href=\"http://feeds.test([^\"]+)\"").matcher(atom);
    return m.find() ? m.group(1) : null;
  }
}
