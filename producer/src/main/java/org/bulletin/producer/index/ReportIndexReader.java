package org.bulletin.producer.index;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bulletin.platform.config.KafkaSettings;
import org.bulletin.platform.kafka.ConsumerThread;
import org.bulletin.platform.kafka.PartitionWatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a {@link ReportIndex} from the reports topic: reads every partition from the beginning
 * (no consumer group: every instance reads everything), then follows it. Runs on a thread of its
 * own that alone owns the consumer. Waits for the topic to exist; while Kafka is unreachable it
 * keeps trying, so a producer started before Kafka catches up once Kafka is there.
 */
public final class ReportIndexReader extends ConsumerThread {
  private static final Logger LOG = LoggerFactory.getLogger(ReportIndexReader.class);

  private final KafkaSettings kafka;
  private final ReportIndex index;
  private final AtomicBoolean caughtUp = new AtomicBoolean();
  private final Map<Integer, Long> positions = new java.util.concurrent.ConcurrentHashMap<>();

  public ReportIndexReader(KafkaSettings kafka, ReportIndex index) {
    super("bulletin-report-index");
    this.kafka = kafka;
    this.index = index;
  }

  /** True once everything that was in the topic when reading began is in the index. */
  public boolean isCaughtUp() {
    return caughtUp.get();
  }

  /**
   * The next offset this reader will read on {@code partition}; everything before it is in the
   * index. -1 while not known (partition not assigned yet). Any thread.
   */
  public long position(int partition) {
    return positions.getOrDefault(partition, -1L);
  }

  /** Waits (at most {@code timeout}) until caught up; true if it is. */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!caughtUp.get() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return caughtUp.get();
  }

  @Override
  protected void work() throws InterruptedException {
    Map<String, Object> config = kafka.clientConfig(Map.of(
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    String topic = kafka.reports().name();
    PartitionWatch watch = new PartitionWatch(topic, kafka.partitionsRefresh());
    config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) Math.min(Integer.MAX_VALUE, watch.metadataMaxAgeMs()));
    try (KafkaConsumer<String, byte[]> c = own(new KafkaConsumer<>(config, new StringDeserializer(),
        new ByteArrayDeserializer()))) {
      List<TopicPartition> partitions = List.of();
      Map<TopicPartition, Long> end = null;
      while (running() && end == null) {
        try {
          List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(5));
          partitions = infos == null ? List.of() : infos.stream()
              .map(p -> new TopicPartition(topic, p.partition())).toList();
          if (!partitions.isEmpty()) {
            end = new HashMap<>(c.endOffsets(partitions, Duration.ofSeconds(10)));
          }
        } catch (KafkaException e) {
          LOG.debug("Waiting for topic {}: {}", topic, e.getMessage());
        }
        if (end == null) {
          Thread.sleep(500);
        }
      }
      if (end == null) {
        return;
      }
      c.assign(partitions);
      watch.assigned(partitions);
      c.seekToBeginning(partitions);
      while (running()) {
        for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(200))) {
          index.apply(record);
        }
        progress();
        watch.addNew(c); // partitions added to the topic, read from the beginning
        try {
          recordPositions(c);
          if (!caughtUp.get() && caughtUp(c, end)) {
            LOG.info("Report index built: {} reports", index.size());
            caughtUp.set(true);
          }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
          LOG.debug("Position of {} not known yet: {}", topic, e.getMessage());
        }
      }
    }
  }

  /** After the records before each position were applied, so a reader of it sees them in the index. */
  private void recordPositions(KafkaConsumer<String, byte[]> c) {
    for (TopicPartition tp : c.assignment()) {
      positions.put(tp.partition(), c.position(tp, Duration.ofSeconds(5)));
    }
  }

  private static boolean caughtUp(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (c.position(e.getKey(), Duration.ofSeconds(5)) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
