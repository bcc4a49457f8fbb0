package org.bulletin.feed.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bulletin.feed.delivery.DeliveryJson;
import org.bulletin.feed.delivery.RecordSender;
import org.bulletin.platform.config.KafkaSettings;
import org.bulletin.schema.CloudEventCodec;
import org.bulletin.schema.EventRejectedException;
import org.bulletin.schema.EventType;
import org.bulletin.schema.ReportEvent;
import org.bulletin.schema.ReportFacets;
import org.bulletin.schema.Retraction;

/**
 * Resends one event, or replays a time range, to one endpoint: reads the report events back from
 * the reports topic and writes fresh tasks (same webhook ids). Memory holds one small entry per
 * report the range touched, never the events themselves. Blocking: runs on the replay
 * executor, with a short-lived consumer of its own.
 */
public final class EventReplayer {
  private final KafkaSettings kafka;
  private final WebhookSettings settings;
  private final RecordSender producer;
  /** CloudEvents source of a retraction made from a tombstone (the recorded one was compacted away). */
  static final String REPLAY_SOURCE = "/bulletin/feed-service/replay";
  private final CloudEventCodec codec = new CloudEventCodec();

  public EventReplayer(KafkaSettings kafka, WebhookSettings settings, RecordSender producer) {
    this.kafka = kafka;
    this.settings = settings;
    this.producer = producer;
  }

  /**
   * Resends the event at partition/offset; false when it is no longer in the topic. If the report
   * was retracted since, its retraction is sent instead: a retracted body never goes out again.
   */
  public boolean resend(Subscription s, int partition, long offset) throws Exception {
    try (KafkaConsumer<String, byte[]> c = consumer()) {
      TopicPartition tp = new TopicPartition(kafka.reports().name(), partition);
      long end = c.endOffsets(List.of(tp), Duration.ofSeconds(10)).get(tp);
      c.assign(List.of(tp));
      c.seek(tp, offset);
      ConsumerRecord<String, byte[]> wanted = null;
      Latest later = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (c.position(tp) < end && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (wanted == null) {
            if (r.offset() != offset || r.value() == null) {
              return false; // compacted away
            }
            wanted = r;
            later = new Latest(r.partition());
          } else if (r.key() != null && r.key().equals(wanted.key())) {
            later.saw(r);
          }
        }
      }
      if (wanted == null) {
        return false;
      }
      Optional<ReportEvent> event = decode(wanted);
      if (event.isEmpty()) {
        return false;
      }
      if (later.retracted()) {
        sendCurrent(s, c, later, wanted.key(), false);
      } else {
        send(s, event.get(), wanted);
      }
      return true;
    }
  }

  /**
   * Replays the reports that had events published in [since, until] that the endpoint's filters
   * accept: each report once, in its current state (its latest event, read to the end of the
   * topic), and a report retracted since as its retraction, never with its body.
   *
   * @return how many events were sent
   */
  public int replay(Subscription s, Instant since, Instant until) throws Exception {
    try (KafkaConsumer<String, byte[]> c = consumer()) {
      List<TopicPartition> partitions = c.partitionsFor(kafka.reports().name(), Duration.ofSeconds(10)).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      Map<TopicPartition, Long> query = new HashMap<>();
      partitions.forEach(tp -> query.put(tp, since.toEpochMilli()));
      Map<TopicPartition, OffsetAndTimestamp> starts = c.offsetsForTimes(query);
      Map<TopicPartition, Long> ends = c.endOffsets(partitions);
      // First pass: which reports the range touched, and where each one's latest record is.
      Map<String, Latest> touched = new LinkedHashMap<>();
      List<TopicPartition> active = new ArrayList<>();
      for (TopicPartition tp : partitions) {
        if (starts.get(tp) != null) {
          active.add(tp);
        }
      }
      c.assign(active);
      for (TopicPartition tp : active) {
        c.seek(tp, starts.get(tp).offset());
      }
      while (!active.isEmpty()) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (r.key() == null) {
            continue;
          }
          boolean inRange = r.timestamp() >= since.toEpochMilli() && r.timestamp() <= until.toEpochMilli();
          Latest latest = touched.get(r.key());
          if (latest == null && inRange && r.value() != null) {
            latest = new Latest(r.partition());
            touched.put(r.key(), latest);
          }
          if (latest != null) {
            latest.saw(r);
          }
        }
        active.removeIf(tp -> c.position(tp) >= ends.get(tp));
        c.assign(active);
      }
      // Second pass: read each report's latest event and send it.
      int sent = 0;
      for (Map.Entry<String, Latest> e : touched.entrySet()) {
        if (sendCurrent(s, c, e.getValue(), e.getKey(), true)) {
          sent++;
        }
      }
      return sent;
    }
  }

  /**
   * Where a report's latest event is, whether a tombstone followed it, and the district and tags
   * its latest event carried (for a retraction made from the tombstone).
   */
  private static final class Latest {
    final int partition;
    long eventOffset = -1;
    ConsumerRecord<String, byte[]> tombstone;
    boolean retractedEvent;
    ReportFacets facets;

    Latest(int partition) {
      this.partition = partition;
    }

    void saw(ConsumerRecord<String, byte[]> r) {
      if (r.value() == null) {
        tombstone = r;
      } else {
        eventOffset = r.offset();
        tombstone = null;
        String type = CloudEventCodec.header(r.headers(), "ce_type");
        retractedEvent = EventType.RETRACTED.ceType().equals(type);
        facets = CloudEventCodec.facets(r.headers());
      }
    }

    boolean retracted() {
      return retractedEvent || tombstone != null;
    }
  }

  /**
   * Sends a report's current state: its latest event, or a retraction (the recorded one, else one
   * made from the tombstone when compaction removed it).
   *
   * @return false when nothing was sent (unreadable, or not accepted by the filters)
   */
  private boolean sendCurrent(Subscription s, KafkaConsumer<String, byte[]> c, Latest latest, String reportId,
      boolean filter) throws Exception {
    if (latest.eventOffset >= 0 && (latest.tombstone == null || latest.retractedEvent)) {
      ConsumerRecord<String, byte[]> r = readAt(c, new TopicPartition(kafka.reports().name(), latest.partition),
          latest.eventOffset);
      Optional<ReportEvent> event = r == null ? Optional.empty() : decode(r);
      if (event.isPresent()) {
        if (filter && !accepts(s, event.get())) {
          return false;
        }
        send(s, event.get(), r);
        return true;
      }
    }
    if (!latest.retracted()) {
      return false;
    }
    ConsumerRecord<String, byte[]> source = latest.tombstone;
    ReportEvent retraction = ReportEvent.retracted(new Retraction(reportId, null), latest.facets,
        Instant.ofEpochMilli(source.timestamp()), REPLAY_SOURCE);
    if (filter && !accepts(s, retraction)) {
      return false;
    }
    send(s, retraction, source);
    return true;
  }

  private static ConsumerRecord<String, byte[]> readAt(KafkaConsumer<String, byte[]> c, TopicPartition tp,
      long offset) {
    c.assign(List.of(tp));
    c.seek(tp, offset);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
        return r.offset() == offset ? r : null;
      }
    }
    return null;
  }

  private static boolean accepts(Subscription s, ReportEvent e) {
    return s.filters().accepts(e.type().shortName(), e.facets());
  }

  private void send(Subscription s, ReportEvent event, ConsumerRecord<String, byte[]> source) throws Exception {
    producer.send(settings.tasks().name(), s.id(),
        DeliveryJson.write(WebhookPayloads.task(event, WebhookPayloads.body(event), s.id(), source,
            System.currentTimeMillis())))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private Optional<ReportEvent> decode(ConsumerRecord<String, byte[]> r) {
    try {
      return codec.decode(r);
    } catch (EventRejectedException e) {
      return Optional.empty();
    }
  }

  private KafkaConsumer<String, byte[]> consumer() {
    Map<String, Object> config = kafka.clientConfig(Map.of(
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
  }
}
