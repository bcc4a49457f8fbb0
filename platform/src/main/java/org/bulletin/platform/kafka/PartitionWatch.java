package org.bulletin.platform.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks up partitions added to a topic while a consumer reads all of it by assignment (no group,
 * so Kafka tells it nothing): at most once per interval it asks the consumer for the topic's
 * partitions, assigns any new ones besides the old (whose positions stay) and reads them from the
 * beginning. The consumer answers from its metadata, which it refreshes every
 * {@code metadata.max.age.ms}: give it {@link #metadataMaxAgeMs()} so that the interval holds.
 *
 * <p>Confined to the thread that owns the consumer.
 */
public final class PartitionWatch {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionWatch.class);

  private final String topic;
  private final long intervalNanos;
  private final LongSupplier nanoClock;
  private final Set<TopicPartition> known = new TreeSet<>(
      java.util.Comparator.comparingInt(TopicPartition::partition));
  private long checkedAt;

  public PartitionWatch(String topic, Duration interval) {
    this(topic, interval, System::nanoTime);
  }

  PartitionWatch(String topic, Duration interval, LongSupplier nanoClock) {
    this.topic = topic;
    this.intervalNanos = interval.toNanos();
    this.nanoClock = nanoClock;
    this.checkedAt = nanoClock.getAsLong();
  }

  /** The value for the consumer's {@code metadata.max.age.ms}: the interval. */
  public long metadataMaxAgeMs() {
    return Math.max(1, intervalNanos / 1_000_000);
  }

  /** Records the partitions the consumer was assigned at start (their positions are the caller's). */
  public void assigned(Collection<TopicPartition> partitions) {
    known.addAll(partitions);
  }

  /** Every partition assigned so far, in partition order. */
  public List<TopicPartition> partitions() {
    return List.copyOf(known);
  }

  /**
   * When the interval has passed: assigns partitions the topic gained since the last check and
   * seeks them to the beginning. Returns them (usually none). A failed lookup is tried again
   * at the next interval.
   */
  public List<TopicPartition> addNew(Consumer<?, ?> consumer) {
    long now = nanoClock.getAsLong();
    if (now - checkedAt < intervalNanos) {
      return List.of();
    }
    checkedAt = now;
    List<PartitionInfo> infos;
    try {
      infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
    } catch (KafkaException e) {
      LOG.debug("Could not look up the partitions of {}: {}", topic, e.getMessage());
      return List.of();
    }
    List<TopicPartition> added = new ArrayList<>();
    for (PartitionInfo p : infos == null ? List.<PartitionInfo>of() : infos) {
      TopicPartition tp = new TopicPartition(topic, p.partition());
      if (!known.contains(tp)) {
        added.add(tp);
      }
    }
    if (added.isEmpty()) {
      return List.of();
    }
    known.addAll(added);
    consumer.assign(List.copyOf(known));
    consumer.seekToBeginning(added);
    LOG.info("Topic {} gained partitions {}; reading them from the beginning", topic,
        added.stream().map(TopicPartition::partition).toList());
    return added;
  }
}
