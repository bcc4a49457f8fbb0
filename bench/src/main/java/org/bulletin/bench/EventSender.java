package org.bulletin.bench;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bulletin.schema.CloudEventCodec;
import org.bulletin.schema.MeetingReport;
import org.bulletin.schema.Official;
import org.bulletin.schema.ReportEvent;

/**
 * Publishes generated reports the way the producer does (same codec, idempotent, acks=all) and
 * tells when Kafka acknowledged each one.
 */
final class EventSender implements AutoCloseable {
  private static final String PARAGRAPH = "The meeting reviewed the quarter's economic indicators, the progress of key"
      + " projects and the plans for investment promotion, and asked every department to act on its tasks. ";
  private final KafkaProducer<String, byte[]> producer;
  private final CloudEventCodec codec = new CloudEventCodec();
  private final String topic;

  EventSender(String bootstrap, String topic) {
    this(topic, new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.LINGER_MS_CONFIG, 2,
        ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new ByteArraySerializer()));
  }

  private EventSender(String topic, KafkaProducer<String, byte[]> producer) {
    this.topic = topic;
    this.producer = producer;
  }

  /**
   * A sender whose record batches look like the producer service's (its EventPublisher): Kafka's
   * default batch size, no compression, 5 ms linger. Histories that are read back by offset use
   * it, since the size of a batch is what reading one record back costs.
   */
  static EventSender likeTheProducer(String bootstrap, String topic) {
    return new EventSender(topic, new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer()));
  }

  /** A report of about {@code bodyBytes} of body text. */
  static MeetingReport report(String id, int bodyBytes) {
    StringBuilder body = new StringBuilder();
    while (body.length() < bodyBytes) {
      body.append(PARAGRAPH);
    }
    return new MeetingReport(id, "Benchmark meeting report " + id, LocalDate.of(2024, 5, 1), LocalDate.of(2024, 4, 28),
        "District " + (id.hashCode() & 7), new Official("Wei Dong", "secretary of the District Party Committee"),
        List.of(Official.named("Zhao Minxiang"), Official.named("Li Yunyan")), "Bench Daily", null,
        List.of(body.substring(0, bodyBytes)), "Summary of " + id + ".", List.of("economy"), "en");
  }

  /** The first day a {@link #spreadReport} may carry; the latest is ten years before it (3650 days). */
  static final LocalDate SPREAD_FROM = LocalDate.of(2024, 5, 1);
  static final int SPREAD_DAYS = 3650;

  /**
   * Report {@code i} of a long history: about 1800 bytes of body, published {@code i % 3650} days
   * before {@link #SPREAD_FROM}, so archive pages hold reports from all over the topic.
   */
  static MeetingReport spreadReport(String prefix, int i) {
    MeetingReport r = report(prefix + "-" + i, 1800);
    LocalDate published = SPREAD_FROM.minusDays(i % SPREAD_DAYS);
    return new MeetingReport(r.id(), r.title(), published, published.minusDays(3), r.district(), r.presider(),
        r.attendees(), r.source(), r.sourceUrl(), r.body(), r.summary(), r.tags(), r.language());
  }

  /** Sends; the future completes with the acknowledgement time (epoch millis). */
  CompletableFuture<Long> send(MeetingReport report) {
    CompletableFuture<Long> acked = new CompletableFuture<>();
    producer.send(codec.encode(topic, ReportEvent.published(report, Instant.now(), "/bench")), (m, e) -> {
      if (e != null) {
        acked.completeExceptionally(e);
      } else {
        acked.complete(System.currentTimeMillis());
      }
    });
    return acked;
  }

  void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close();
  }
}
