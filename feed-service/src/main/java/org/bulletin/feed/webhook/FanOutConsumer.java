package org.bulletin.feed.webhook;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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
 * work through a consumer group; one thread owns the consumer. Each poll's tasks and its offsets
 * are written in one Kafka transaction, so the tasks are durable before the event counts as done
 * and a rebalance or crash writes no task twice. A task too large for Kafka is dead-lettered in the
 * same transaction instead. When a transaction fails, the loop starts again with new clients.
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
        // The reports are not written in transactions, so this reads the same records; but the
        // committed offsets are then fetched without waiting for them to be stable. After a
        // broker stall a transactional offset commit can stay pending for good, and a
        // read_committed consumer of this group would wait for it forever (seen: minutes).
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500));
    Map<String, Object> producerConfig = kafka.clientConfig(Map.of(
        // A new id on every run of this loop: the transaction a failed run left open is aborted
        // by its timeout, and offsets it may still add later (its requests retried after a
        // stall) stay pending under that old producer id instead of being completed by ours.
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bulletin-fanout-" + UUID.randomUUID(),
        // A transaction covers one poll and takes milliseconds; if this instance dies with one
        // open, read-committed readers of the tasks wait for it until this timeout aborts it.
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.LINGER_MS_CONFIG, 2));
    Producer<String, byte[]> producer = clients.producer(producerConfig);
    try (Consumer<String, byte[]> c = own(clients.consumer(consumerConfig))) {
      producer.initTransactions();
      c.subscribe(List.of(kafka.reports().name()));
      while (running()) {
        ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(200));
        // An empty poll is progress only when every assigned partition has a known position
        // and lag: a consumer that cannot learn its positions is stuck, not idle.
        if (!records.isEmpty() || c.assignment().stream().allMatch(tp -> c.currentLag(tp).isPresent())) {
          progress();
        }
        if (records.isEmpty()) {
          continue;
        }
        // Any Kafka error here (a commit that timed out during a broker outage, a fenced or
        // aborted transaction) ends this run: a commit that timed out may still complete, so it
        // is not aborted (that throws IllegalStateException). The next run starts from the
        // committed offsets with new clients: at worst a batch's tasks are written twice (same
        // webhook ids), never lost.
        fanOut(records, c, producer);
      }
    } finally {
      producer.close(Duration.ofSeconds(2));
    }
  }

  private void fanOut(ConsumerRecords<String, byte[]> records, Consumer<String, byte[]> c,
      Producer<String, byte[]> producer) {
    producer.beginTransaction();
    duplicates.begin();
    awaitCurrentSubscriptions(c);
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    long now = System.currentTimeMillis();
    var active = subscriptions.index();
    for (ConsumerRecord<String, byte[]> record : records) {
      offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
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
      String body = null;
      for (Subscription s : active.matching(type, event.facets())) {
        // A subscription hears of what happens after it was created, never of a backlog.
        if (record.timestamp() >= s.createdAt().toEpochMilli() && s.filters().accepts(type, event.facets())) {
          body = body == null ? WebhookPayloads.body(event) : body;
          byte[] task = DeliveryJson.write(WebhookPayloads.task(event, body, s.id(), record, now));
          if (task.length > settings.taskMaxBytes()) {
            // Kafka would refuse it (RecordTooLargeException) and fail the transaction on every try.
            producer.send(new ProducerRecord<>(settings.deadLetter().name(), s.id(), tooLarge(event, s, record, task.length)));
            continue;
          }
          producer.send(new ProducerRecord<>(settings.tasks().name(), s.id(), task));
        }
      }
    }
    producer.sendOffsetsToTransaction(offsets, c.groupMetadata());
    producer.commitTransaction();
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
