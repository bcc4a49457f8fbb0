package org.bulletin.producer.ingest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.bulletin.producer.kafka.EventPublisher;
import org.bulletin.schema.CloudEventCodec;
import org.bulletin.schema.MeetingReport;
import org.bulletin.schema.ReportEvent;
import org.bulletin.schema.Retraction;

/**
 * Publishes, corrects and retracts reports as CloudEvents on the reports topic. Each future
 * completes only after Kafka acknowledged the event, on the caller's Vert.x context.
 */
public final class ReportIngest {
  private final Vertx vertx;
  private final EventPublisher publisher;
  private final CloudEventCodec codec = new CloudEventCodec();
  private final String topic;
  private final String eventSource;
  private final Clock clock;

  public ReportIngest(Vertx vertx, EventPublisher publisher, String topic, String eventSource, Clock clock) {
    this.vertx = vertx;
    this.publisher = publisher;
    this.topic = topic;
    this.eventSource = eventSource;
    this.clock = clock;
  }

  public Future<Accepted> publish(MeetingReport report) {
    return send(ReportEvent.published(report, clock.instant(), eventSource), false);
  }

  public Future<Accepted> correct(MeetingReport report) {
    return send(ReportEvent.corrected(report, clock.instant(), eventSource), false);
  }

  /** The retracted event, then a tombstone so compaction forgets the body. */
  public Future<Accepted> retract(String reportId, String reason) {
    return send(ReportEvent.retracted(new Retraction(reportId, reason), clock.instant(), eventSource), true);
  }

  private Future<Accepted> send(ReportEvent event, boolean withTombstone) {
    List<ProducerRecord<String, byte[]>> records = withTombstone
        ? List.of(codec.encode(topic, event), codec.tombstone(topic, event.reportId()))
        : List.of(codec.encode(topic, event));
    return publisher.send(vertx.getOrCreateContext(), records).map(acks -> {
      RecordMetadata first = acks.get(0);
      return new Accepted(event.reportId(), event.eventId(), event.type(), first.partition(), first.offset());
    });
  }
}
