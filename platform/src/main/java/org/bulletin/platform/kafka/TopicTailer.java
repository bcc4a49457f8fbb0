package org.bulletin.platform.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bulletin.platform.config.KafkaSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a whole topic from the beginning and then follows it, on a thread of its own that alone
 * owns the consumer; every instance reads every partition. The callback runs on that thread, one
 * record at a time, in offset order per partition. When the loop fails (Kafka timeouts while the
 * broker flaps) it starts again with a new consumer after the last record passed on. Partitions
 * added to the topic are read from the beginning within {@code consumer.partitions.refresh.seconds}.
 */
public final class TopicTailer extends ConsumerThread {
  private static final Logger LOG = LoggerFactory.getLogger(TopicTailer.class);

  private final KafkaSettings kafka;
  private final String topic;
  private final Consumer<ConsumerRecord<String, byte[]>> callback;
  private final AtomicBoolean caughtUp = new AtomicBoolean();
  private final Function<Map<String, Object>, org.apache.kafka.clients.consumer.Consumer<String, byte[]>> consumers;
  // Confined to the consumer thread; kept across restarts of the work loop.
  private final Map<TopicPartition, Long> passed = new HashMap<>();
  private Map<TopicPartition, Long> end;

  public TopicTailer(KafkaSettings kafka, String topic, Consumer<ConsumerRecord<String, byte[]>> callback) {
    this("bulletin-tail-" + topic, kafka, topic, callback);
  }

  /**
   * @param name the thread's name, for a second reader of a topic that already has one (thread
   *     names label health and metrics, so they must differ)
   */
  public TopicTailer(String name, KafkaSettings kafka, String topic, Consumer<ConsumerRecord<String, byte[]>> callback) {
    this(name, kafka, topic, callback,
        config -> new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer()));
  }

  TopicTailer(KafkaSettings kafka, String topic, Consumer<ConsumerRecord<String, byte[]>> callback,
      Function<Map<String, Object>, org.apache.kafka.clients.consumer.Consumer<String, byte[]>> consumers) {
    this("bulletin-tail-" + topic, kafka, topic, callback, consumers);
  }

  /** @param consumers makes the consumer of each run of the loop (tests hand in mock ones) */
  TopicTailer(String name, KafkaSettings kafka, String topic, Consumer<ConsumerRecord<String, byte[]>> callback,
      Function<Map<String, Object>, org.apache.kafka.clients.consumer.Consumer<String, byte[]>> consumers) {
    super(name);
    this.consumers = consumers;
    this.kafka = kafka;
    this.topic = topic;
    this.callback = callback;
  }

  /** True once everything that was in the topic at start has been passed to the callback. */
  public boolean isCaughtUp() {
    return caughtUp.get();
  }

  @Override
  protected void work() throws InterruptedException {
    Map<String, Object> config = kafka.clientConfig(Map.of(
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    PartitionWatch watch = new PartitionWatch(topic, kafka.partitionsRefresh());
    config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) Math.min(Integer.MAX_VALUE, watch.metadataMaxAgeMs()));
    try (org.apache.kafka.clients.consumer.Consumer<String, byte[]> c = own(consumers.apply(config))) {
      List<TopicPartition> partitions = List.of();
      while (running() && partitions.isEmpty()) {
        try {
          List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
          partitions = infos == null ? List.of() : infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
          LOG.warn("Waiting for topic {}: {}", topic, e.getMessage());
        }
        if (partitions.isEmpty()) {
          pause(500);
        }
      }
      c.assign(partitions);
      watch.assigned(partitions);
      // After a restart, go on after the last record passed on; the first time, from the beginning.
      for (TopicPartition tp : partitions) {
        Long at = passed.get(tp);
        if (at == null) {
          c.seekToBeginning(List.of(tp));
        } else {
          c.seek(tp, at);
        }
      }
      if (end == null) {
        end = new HashMap<>(c.endOffsets(partitions));
      }
      while (running()) {
        for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(200))) {
          try {
            callback.accept(record);
          } catch (RuntimeException e) {
            LOG.warn("Skipping unreadable record {}/{}/{}: {}", topic, record.partition(), record.offset(), e.getMessage());
          }
          passed.put(new TopicPartition(topic, record.partition()), record.offset() + 1);
        }
        watch.addNew(c);
        if (!caughtUp.get() && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
          caughtUp.set(true);
        }
        progress();
      }
    }
  }

}
