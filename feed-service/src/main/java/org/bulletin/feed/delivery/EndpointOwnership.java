package org.bulletin.feed.delivery;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * Which instance makes an endpoint's attempts: the one whose delivery consumer owns the endpoint's
 * partition of the tasks topic, where its first attempts are written keyed by its id. A retry a
 * tier releases elsewhere is handed to that owner through the tasks topic, so one endpoint's rate
 * limit, in-flight bound and order are kept by one dispatcher however many instances run.
 *
 * <p>The partition is the one Kafka's default partitioner picks for a keyed record (murmur2 of the
 * key as {@code StringSerializer} writes it, UTF-8), which every writer of the tasks topic uses.
 * Confined to the worker's consumer thread.
 */
final class EndpointOwnership {
  private final String tasksTopic;
  private int partitions;
  private final Set<Integer> owned = new HashSet<>();

  EndpointOwnership(String tasksTopic) {
    this.tasksTopic = tasksTopic;
  }

  /** The tasks topic's partition an endpoint's tasks go to, as the producer computes it. */
  static int partitionOf(String endpointId, int partitions) {
    return Utils.toPositive(Utils.murmur2(endpointId.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  /** The consumer's current assignment (of every topic it reads). */
  void assigned(Collection<TopicPartition> assignment) {
    owned.clear();
    for (TopicPartition tp : assignment) {
      if (tp.topic().equals(tasksTopic)) {
        owned.add(tp.partition());
      }
    }
  }

  /** The tasks topic's partition count; below 1: unknown. */
  void partitions(int count) {
    partitions = Math.max(0, count);
  }

  /** The partition count is known: {@link #owns} decides by it. */
  boolean known() {
    return partitions > 0;
  }

  /**
   * Whether this instance makes the endpoint's attempts. While the partition count is unknown
   * (the broker did not answer yet) it does, as it would with one instance: the task is attempted,
   * never held up for it.
   */
  boolean owns(String endpointId) {
    return partitions <= 0 || endpointId == null || owned.contains(partitionOf(endpointId, partitions));
  }
}
