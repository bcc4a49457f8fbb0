package org.bulletin.feed.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bulletin.feed.delivery.DeliveryJson;
import org.bulletin.platform.config.KafkaSettings;
import org.bulletin.platform.kafka.ConsumerThread;
import org.bulletin.schema.CloudEventCodec;
import org.bulletin.schema.EventRejectedException;
import org.bulletin.schema.ReportEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns report events into delivery tasks, one per matching subscription. Instances share the
 * work through a consumer group; one thread owns the consumer. Tasks are written by an
 * idempotent, acks=all producer without waiting: the next poll's events are fanned out while the
 * last ones are being acknowledged, and an event's offset is committed only once every task of
 * its poll (and of every earlier poll) is acknowledged, so a task is durable before its event
 * counts as done. A send that fails ends the run: the loop starts again with new clients from the
 * committed offsets and writes those events' tasks again, with the same webhook ids (delivered at
 * least once; receivers deduplicate by {@code webhook-id}). On a rebalance the revoked partitions'
 * acknowledged offsets are committed first, so a new owner repeats nothing in normal operation.
 * A task too large for Kafka is dead-lettered instead.
 */
public final class FanOutConsumer extends ConsumerThread {
  private static final Logger LOG = LoggerFactory.getLogger(FanOutConsumer.class);

  private final KafkaSettings kafka;
  private final WebhookSettings settings;
  private final SubscriptionStore subscriptions;
  private final BooleanSupplier subscriptionsReady;
  private final CloudEventCodec codec = new CloudEventCodec();
  private final Clients clients;

  /** Makes the Kafka clients of one run of the loop (tests hand in mock clients). */
  interface Clients {
    Consumer<String, byte[]> consumer(Map<String, Object> config);

    Producer<String, byte[]> producer(Map<String, Object> config);
  }

  private static final Clients KAFKA = new Clients() {
    @Override
    public Consumer<String, byte[]> consumer(Map<String, Object> config) {
      return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public Producer<String, byte[]> producer(Map<String, Object> config) {
      return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }
  };
  private final FanOutDuplicateGuard duplicates;
  private List<TopicPartition> subscriptionPartitions;
  private long subscriptionPartitionsAt;

  public FanOutConsumer(KafkaSettings kafka, WebhookSettings settings, SubscriptionStore subscriptions,
      BooleanSupplier subscriptionsReady) {
    this(kafka, settings, subscriptions, subscriptionsReady, KAFKA);
  }

  FanOutConsumer(KafkaSettings kafka, WebhookSettings settings, SubscriptionStore subscriptions,
      BooleanSupplier subscriptionsReady, Clients clients) {
    super("bulletin-webhook-fanout");
    this.clients = clients;
    this.kafka = kafka;
    this.settings = settings;
    this.subscriptions = subscriptions;
    this.subscriptionsReady = subscriptionsReady;
    this.duplicates = new FanOutDuplicateGuard(settings.fanOutDedupeReports());
  }

  @Override
  protected void work() throws InterruptedException {
    while (running() && !subscriptionsReady.getAsBoolean()) {
      pause(50); // fan out only against the full set of subscriptions
    }
    Map<String, Object> consumerConfig = kafka.groupConsumerConfig(settings.groupPrefix() + "-fanout", Map.of(
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        // Earlier versions committed this group's offsets in transactions: after a broker stall a
        // transactional offset commit could stay pending for good, and a read_committed consumer
        // would wait for it forever (seen: minutes). The reports are not transactional anyway.
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500));
    Map<String, Object> producerConfig = kafka.clientConfig(Map.of(
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.LINGER_MS_CONFIG, 2));
    Producer<String, byte[]> producer = clients.producer(producerConfig);
    FanOutAcks acks = new FanOutAcks();
    try (Consumer<String, byte[]> c = own(clients.consumer(consumerConfig))) {
      c.subscribe(List.of(kafka.reports().name()), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
          // What was sent is acknowledged and committed before the partitions move on, so the new
          // owner does not write those tasks again. A failure propagates out of poll(): the run ends.
          producer.flush();
          acks.throwIfFailed();
          // Every acknowledged offset of these partitions, even one committed already: an async
          // commit still in flight may yet fail (a rebalance in progress often makes it).
          Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>(acks.takeAcknowledged());
          done.putAll(acks.acknowledgedOf(partitions));
          if (!done.isEmpty()) {
            c.commitSync(done);
          }
          acks.forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
          // Another member may own them already: their offsets are not ours to commit.
          acks.forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
          // Positions come from the committed offsets.
        }
      });
      while (running()) {
        ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(pollMillis(acks)));
        // An empty poll is progress only when every assigned partition has a known position
        // and lag: a consumer that cannot learn its positions is stuck, not idle.
        if (!records.isEmpty() || c.assignment().stream().allMatch(tp -> c.currentLag(tp).isPresent())) {
          progress();
        }
        // A send that failed ends this run (a failed async commit is only retried with the next
        // one). The next run starts from the committed offsets with new clients: at worst some
        // events' tasks are written twice (same webhook ids), never lost.
        acks.throwIfFailed();
        commitAcknowledged(c, acks);
        if (!records.isEmpty()) {
          fanOut(records, c, producer, acks);
        }
        if (acks.unacknowledgedSends() > settings.fanOutMaxUnacknowledged()) {
          producer.flush(); // bounded: wait for Kafka rather than buffer without end (the producer's buffer.memory bounds the bytes)
        }
      }
      producer.flush();
      acks.throwIfFailed();
      Map<TopicPartition, OffsetAndMetadata> last = acks.takeAcknowledged();
      if (!last.isEmpty()) {
        c.commitSync(last, Duration.ofSeconds(3));
      }
    } finally {
      producer.close(Duration.ofSeconds(2));
    }
  }

  /** How long a poll may wait: briefly while sends are unacknowledged, so their offsets commit soon. */
  private static long pollMillis(FanOutAcks acks) {
    return acks.pendingPolls() > 0 ? 20 : 200;
  }

  private static void commitAcknowledged(Consumer<String, byte[]> c, FanOutAcks acks) {
    Map<TopicPartition, OffsetAndMetadata> done = acks.takeAcknowledged();
    if (!done.isEmpty()) {
      // The callback runs on this thread, inside a later poll; a later commit covers a failed one.
      c.commitAsync(done, (o, e) -> {
        if (e != null) {
          LOG.warn("Committing fan-out offsets failed (committed again with the next ones): {}", e.getMessage());
          acks.recommit(o);
        }
      });
    }
  }

  private void fanOut(ConsumerRecords<String, byte[]> records, Consumer<String, byte[]> c,
      Producer<String, byte[]> producer, FanOutAcks acks) {
    duplicates.begin();
    awaitCurrentSubscriptions(c);
    FanOutAcks.Poll poll = acks.begin();
    long now = System.currentTimeMillis();
    var active = subscriptions.index();
    for (ConsumerRecord<String, byte[]> record : records) {
      poll.offset(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
      if (!duplicates.isNew(record.partition(), record.offset(), record.key(),
          record.value() == null ? null : CloudEventCodec.header(record.headers(), "ce_id"))) {
        continue; // the same event again (identical content written twice): delivered already
      }
      if (active.isEmpty()) {
        continue; // nobody to deliver to: no need to decode (the view validates every record anyway)
      }
      Optional<ReportEvent> decoded;
      try {
        decoded = codec.decode(record);
      } catch (EventRejectedException rejected) {
        continue; // the feed view dead-letters it
      }
      if (decoded.isEmpty()) {
        continue; // tombstone: the retracted event before it was delivered
      }
      ReportEvent event = decoded.get();
      String type = event.type().shortName();
      byte[] body = null;
      for (Subscription s : active.matching(type, event.facets())) {
        // A subscription hears of what happens after it was created, never of a backlog.
        if (record.timestamp() >= s.createdAt().toEpochMilli() && s.filters().accepts(type, event.facets())) {
          body = body == null ? WebhookPayloads.body(event).getBytes(StandardCharsets.UTF_8) : body;
          byte[] task = DeliveryJson.write(WebhookPayloads.task(event, body, s.id(), record, now));
          if (task.length > settings.taskMaxBytes()) {
            // Kafka would refuse it (RecordTooLargeException) and fail the run on every try.
            producer.send(new ProducerRecord<>(settings.deadLetter().name(), s.id(), tooLarge(event, s, record, task.length)),
                poll.callback());
            continue;
          }
          producer.send(new ProducerRecord<>(settings.tasks().name(), s.id(), task), poll.callback());
        }
      }
    }
    poll.seal();
    // The guard's memory holds what was sent; if the run fails, the next one rewinds to the
    // committed offsets, and the guard forgets a partition whose offsets skip back.
    duplicates.commit();
  }

  /**
   * Waits until this instance has read every subscription written before now, so a subscription
   * created on another instance just before an event still gets that event: the batch's events
   * were all written before now, the subscription before them. Throws (the batch is retried) if
   * the subscriptions cannot be read in time.
   */
  private void awaitCurrentSubscriptions(Consumer<String, byte[]> c) {
    // Looked up again now and then: partitions added to the subscriptions topic count too.
    if (subscriptionPartitions == null
        || System.nanoTime() - subscriptionPartitionsAt > kafka.partitionsRefresh().toNanos()) {
      subscriptionPartitions = c.partitionsFor(settings.subscriptions().name(), Duration.ofSeconds(10)).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      subscriptionPartitionsAt = System.nanoTime();
    }
    Map<Integer, Long> end = new HashMap<>();
    c.endOffsets(subscriptionPartitions, Duration.ofSeconds(10)).forEach((tp, o) -> end.put(tp.partition(), o));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!subscriptions.hasRead(end)) {
      if (System.nanoTime() > deadline) {
        throw new org.apache.kafka.common.errors.TimeoutException(
            "the subscriptions were not read up to " + end + " within 10 s");
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new org.apache.kafka.common.errors.InterruptException(e);
      }
    }
  }

  private byte[] tooLarge(ReportEvent event, Subscription s, ConsumerRecord<String, byte[]> record, int bytes) {
    LOG.warn("Event {} for subscription {} dead-lettered: its delivery task has {} bytes, over {}", event.eventId(), s.id(),
        bytes, settings.taskMaxBytes());
    Map<String, Object> letter = new java.util.LinkedHashMap<>();
    letter.put("reason", "the delivery task has " + bytes + " bytes, over webhook.task.max.bytes " + settings.taskMaxBytes());
    letter.put("at", java.time.Instant.now().toString());
    letter.put("subscriptionId", s.id());
    letter.put("eventId", event.eventId());
    letter.put("reportId", event.reportId());
    letter.put("sourcePartition", record.partition());
    letter.put("sourceOffset", record.offset());
    return DeliveryJson.write(letter);
  }

}
