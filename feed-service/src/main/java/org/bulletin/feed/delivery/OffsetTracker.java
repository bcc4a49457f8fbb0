package org.bulletin.feed.delivery;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets may be committed when tasks finish out of order: per partition, up to (not
 * including) the oldest task still in flight. An offset counts as committed only once the broker
 * confirmed it. Confined to the worker's consumer thread (commit callbacks run there too).
 */
final class OffsetTracker {
  private final Map<TopicPartition, TreeSet<Long>> inFlight = new HashMap<>();
  private final Map<TopicPartition, Long> next = new HashMap<>();
  // Confirmed by the broker, and sent but not confirmed yet (an async commit can still fail).
  private final Map<TopicPartition, Long> committed = new HashMap<>();
  private final Map<TopicPartition, Long> requested = new HashMap<>();
  private int count;

  void started(TopicPartition tp, long offset) {
    inFlight.computeIfAbsent(tp, k -> new TreeSet<>()).add(offset);
    next.merge(tp, offset + 1, Math::max);
    count++;
  }

  /** A record that needs no work (unreadable, or re-read after a pause) still moves the position. */
  void skipped(TopicPartition tp, long offset) {
    next.merge(tp, offset + 1, Math::max);
  }

  void done(TopicPartition tp, long offset) {
    TreeSet<Long> set = inFlight.get(tp);
    if (set != null && set.remove(offset)) {
      count--;
    }
  }

  /** Tasks still in flight on these partitions. */
  int inFlightCount(Collection<TopicPartition> partitions) {
    int n = 0;
    for (TopicPartition tp : partitions) {
      TreeSet<Long> set = inFlight.get(tp);
      n += set == null ? 0 : set.size();
    }
    return n;
  }

  int inFlightCount() {
    return count;
  }

  /** The offsets to commit now: partitions whose commit point moved and is not being committed. */
  Map<TopicPartition, OffsetAndMetadata> committable() {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    next.forEach((tp, nextOffset) -> {
      TreeSet<Long> set = inFlight.get(tp);
      Long point = set == null || set.isEmpty() ? nextOffset : set.first();
      if (!point.equals(committed.get(tp)) && !point.equals(requested.get(tp))) {
        out.put(tp, new OffsetAndMetadata(point));
      }
    });
    return out;
  }

  /** An async commit of these offsets was sent; they count only once {@link #commitSucceeded}. */
  void commitRequested(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((tp, o) -> requested.put(tp, o.offset()));
  }

  void commitSucceeded(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((tp, o) -> {
      if (next.containsKey(tp)) {
        committed.merge(tp, o.offset(), Math::max);
      }
      requested.remove(tp, o.offset());
    });
  }

  /** The commit failed: {@link #committable()} offers these offsets again. */
  void commitFailed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((tp, o) -> requested.remove(tp, o.offset()));
  }

  /** Forgets revoked partitions; their unfinished tasks will be read again by the new owner. */
  void forget(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      TreeSet<Long> set = inFlight.remove(tp);
      if (set != null) {
        count -= set.size();
      }
      next.remove(tp);
      committed.remove(tp);
      requested.remove(tp);
    }
  }
}
