package org.bulletin.feed.websub;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bulletin.platform.config.KafkaSettings;
import org.bulletin.platform.kafka.ConsumerThread;

/**
 * Which instance distributes document changes: the one the consumer group {@code group} assigns
 * the single partition of the distribution topic (compacted; key: topic URL, value: a {@link DistributionMarker} of
 * the document last handed to the delivery engine for it). On assignment it reads that partition
 * from the beginning, so it knows what the previous distributor sent, and only then becomes the
 * leader and calls {@code onLeadership}; on revocation or loss it stops at once. Runs on its own
 * thread; {@link #leader()} and {@link #distributed} are read from any thread.
 */
public final class DistributionLeadership extends ConsumerThread implements Leadership {
  private final KafkaSettings kafka;
  private final String topic;
  private final String group;
  private final Runnable onLeadership;
  private final Map<String, DistributionMarker> distributed = new ConcurrentHashMap<>();
  private volatile boolean leader;

  /** @param onLeadership called on this thread each time this instance becomes the leader */
  public DistributionLeadership(KafkaSettings kafka, String topic, String group, Runnable onLeadership) {
    super("bulletin-websub-leadership");
    this.kafka = kafka;
    this.topic = topic;
    this.group = group;
    this.onLeadership = onLeadership;
  }

  @Override
  public boolean leader() {
    return leader;
  }

  @Override
  public DistributionMarker distributed(String topicUrl) {
    return distributed.get(topicUrl);
  }

  @Override
  public void wrote(String topicUrl, DistributionMarker marker) {
    distributed.put(topicUrl, marker);
  }

  @Override
  protected void work() throws Exception {
    Map<String, Object> config = kafka.groupConsumerConfig(group, Map.of(
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
    try (KafkaConsumer<String, String> c = own(new KafkaConsumer<>(config, new StringDeserializer(),
        new StringDeserializer()))) {
      var catchUpTo = new java.util.concurrent.atomic.AtomicReference<Map<TopicPartition, Long>>();
      c.subscribe(List.of(topic), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
          leader = false;
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
          leader = false;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
          if (!partitions.isEmpty()) {
            leader = false;
            distributed.clear();
            c.seekToBeginning(partitions);
            catchUpTo.set(c.endOffsets(partitions));
          }
        }
      });
      while (running()) {
        var records = c.poll(Duration.ofMillis(200));
        progress();
        for (ConsumerRecord<String, String> r : records) {
          if (r.value() == null) {
            distributed.remove(r.key());
          } else {
            distributed.put(r.key(), DistributionMarker.parse(r.value()));
          }
        }
        Map<TopicPartition, Long> end = catchUpTo.get();
        if (end != null && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
          catchUpTo.set(null);
          leader = !c.assignment().isEmpty();
          if (leader) {
            onLeadership.run();
          }
        }
      }
    } finally {
      leader = false;
    }
  }
}
