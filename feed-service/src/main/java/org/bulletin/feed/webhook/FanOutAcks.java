package org.bulletin.feed.webhook;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * The fan-out's sends that Kafka has not acknowledged yet, by poll, and the offsets each poll
 * moves its partitions to. A poll's offsets become committable once its sends and every earlier
 * poll's are acknowledged, and never after a send failed. Send callbacks run on the producer's I/O
 * thread; every other method runs on the fan-out thread.
 */
final class FanOutAcks {
  private final Deque<Poll> polls = new ArrayDeque<>();
  private final AtomicInteger unacknowledged = new AtomicInteger();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  /** The newest acknowledged offset of each partition, and those not committed since it moved. */
  private final Map<TopicPartition, Long> acknowledged = new HashMap<>();
  private final Set<TopicPartition> uncommitted = new HashSet<>();

  /** One poll's sends. */
  final class Poll {
    private final Map<TopicPartition, Long> offsets = new HashMap<>();
    // One more than the sends until sealed, so that a poll whose sends are all acknowledged before
    // the last one is made does not count as acknowledged.
    private final AtomicInteger pending = new AtomicInteger(1);

    /** The partition's next offset to read once this poll is done. */
    void offset(TopicPartition tp, long next) {
      offsets.put(tp, next);
    }

    /** The callback of one more send of this poll (runs on the producer's I/O thread). */
    Callback callback() {
      pending.incrementAndGet();
      unacknowledged.incrementAndGet();
      return (metadata, error) -> {
        if (error != null) {
          failure.compareAndSet(null, error); // before the count: whoever sees it drop sees the failure
        }
        unacknowledged.decrementAndGet();
        pending.decrementAndGet();
      };
    }

    /** Every send of this poll is made. */
    void seal() {
      pending.decrementAndGet();
    }

    private boolean done() {
      return pending.get() == 0;
    }
  }

  /** Starts the next poll's sends. */
  Poll begin() {
    Poll p = new Poll();
    polls.add(p);
    return p;
  }

  /** Sends made and not acknowledged yet (any thread). */
  int unacknowledgedSends() {
    return unacknowledged.get();
  }

  /** Polls whose offsets are not committable yet. */
  int pendingPolls() {
    return polls.size();
  }

  /** Throws the first send failure: the run must end and start again from the committed offsets. */
  void throwIfFailed() {
    Exception e = failure.get();
    if (e instanceof KafkaException k) {
      throw k;
    }
    if (e != null) {
      throw new KafkaException("a delivery task could not be written: " + e.getMessage(), e);
    }
  }

  /**
   * The offsets that became committable since the last call (or whose commit failed), the newest
   * of each partition; empty once a send has failed.
   */
  Map<TopicPartition, OffsetAndMetadata> takeAcknowledged() {
    while (!polls.isEmpty() && polls.peek().done()) {
      polls.poll().offsets.forEach((tp, next) -> {
        acknowledged.merge(tp, next, Math::max);
        uncommitted.add(tp);
      });
    }
    if (failure.get() != null || uncommitted.isEmpty()) {
      return Map.of();
    }
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    uncommitted.forEach(tp -> out.put(tp, new OffsetAndMetadata(acknowledged.get(tp))));
    uncommitted.clear();
    return out;
  }

  /**
   * Every acknowledged offset of these partitions, whether or not committed already (a commit
   * still in flight may yet fail): committed again when the partitions are revoked. Call
   * {@link #takeAcknowledged} first: polls that became done count only from then.
   */
  Map<TopicPartition, OffsetAndMetadata> acknowledgedOf(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    if (failure.get() != null) {
      return out;
    }
    for (TopicPartition tp : partitions) {
      Long next = acknowledged.get(tp);
      if (next != null) {
        out.put(tp, new OffsetAndMetadata(next));
      }
    }
    return out;
  }

  /** A commit of these offsets failed: their partitions are committed again, at their newest offsets. */
  void recommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.keySet().stream().filter(acknowledged::containsKey).forEach(uncommitted::add);
  }

  /**
   * These partitions went to another member (revoked once committed, or lost): nothing of theirs is
   * committed by this one any more, a failed earlier commit included.
   */
  void forget(Collection<TopicPartition> partitions) {
    acknowledged.keySet().removeAll(partitions);
    uncommitted.removeAll(partitions);
    polls.forEach(p -> p.offsets.keySet().removeAll(partitions));
  }
}
