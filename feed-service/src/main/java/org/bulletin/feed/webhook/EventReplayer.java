package org.bulletin.feed.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.bulletin.feed.delivery.DeliveryProducer;
import org.bulletin.platform.config.KafkaSettings;
import org.bulletin.schema.CloudEventCodec;
import org.bulletin.schema.EventRejectedException;
import org.bulletin.schema.ReportEvent;

/**
 * Resends one event, or replays a time range, to one endpoint: reads the report events back from
 * the reports topic and writes fresh tasks (same webhook ids). Blocking: runs on the replay
 * executor, with a short-lived consumer of its own.
 */
public final class EventReplayer {
  private final KafkaSettings kafka;
  private final WebhookSettings settings;
  private final DeliveryProducer producer;
  private final CloudEventCodec codec = new CloudEventCodec();

  public EventReplayer(KafkaSettings kafka, WebhookSettings settings, DeliveryProducer producer) {
    this.kafka = kafka;
    this.settings = settings;
    this.producer = producer;
  }

  /** Resends the event at partition/offset; false when it is no longer in the topic. */
  public boolean resend(Subscription s, int partition, long offset) throws Exception {
    try (KafkaConsumer<String, byte[]> c = consumer()) {
      TopicPartition tp = new TopicPartition(kafka.reports().name(), partition);
      c.assign(List.of(tp));
      c.seek(tp, offset);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (r.offset() != offset) {
            return false; // compacted away
          }
          Optional<ReportEvent> event = decode(r);
          if (event.isEmpty()) {
            return false;
          }
          send(s, event.get(), r);
          return true;
        }
        if (c.position(tp) > offset) {
          return false;
        }
      }
      return false;
    }
  }

  /** Replays every event published in [since, until] that the endpoint's filters accept. */
  public int replay(Subscription s, Instant since, Instant until) throws Exception {
    int sent = 0;
    try (KafkaConsumer<String, byte[]> c = consumer()) {
      List<TopicPartition> partitions = c.partitionsFor(kafka.reports().name(), Duration.ofSeconds(10)).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      Map<TopicPartition, Long> query = new HashMap<>();
      partitions.forEach(tp -> query.put(tp, since.toEpochMilli()));
      Map<TopicPartition, OffsetAndTimestamp> starts = c.offsetsForTimes(query);
      Map<TopicPartition, Long> ends = c.endOffsets(partitions);
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
          if (r.timestamp() <= until.toEpochMilli()) {
            Optional<ReportEvent> event = decode(r);
            if (event.isPresent() && accepts(s, event.get())) {
              send(s, event.get(), r);
              sent++;
            }
          }
        }
        active.removeIf(tp -> c.position(tp) >= ends.get(tp));
        c.assign(active);
      }
    }
    return sent;
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
