package org.bulletin.feed.webhook;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Every subscription, materialized from the compacted subscriptions topic (and updated at once
 * by this instance's own writes). Thread-safe.
 */
public final class SubscriptionStore {
  private final Map<String, Subscription> byId = new ConcurrentHashMap<>();
  private final List<Consumer<String>> removalListeners = new CopyOnWriteArrayList<>();
  private final Map<Integer, Long> readUpTo = new ConcurrentHashMap<>();
  /** Own writes the tailer has not read back yet: few, each removed once read. */
  private final Map<Integer, NavigableSet<Long>> ownWrites = new ConcurrentHashMap<>();
  /** Bumped on every change; the index is rebuilt when it is asked for after one. */
  private final AtomicLong version = new AtomicLong();
  private volatile IndexAt index = new IndexAt(0, SubscriptionIndex.EMPTY);

  private record IndexAt(long version, SubscriptionIndex index) {}

  /**
   * Calls {@code listener} with the id of each subscription deleted, on the thread that applies
   * the deletion (the subscriptions tailer, or the API's event loop for this instance's own).
   */
  public void onRemoved(Consumer<String> listener) {
    removalListeners.add(listener);
  }

  /** Applies a record of the topic: a subscription, or a tombstone ({@code null}). */
  public void apply(String id, Subscription subscription) {
    if (subscription == null) {
      if (byId.remove(id) != null) {
        version.incrementAndGet();
        removalListeners.forEach(l -> l.accept(id));
      }
    } else {
      byId.merge(id, subscription, (old, fresh) -> fresh.updatedAt().isBefore(old.updatedAt()) ? old : fresh);
      version.incrementAndGet();
    }
  }

  /**
   * Notes that the record at {@code partition}/{@code offset} of the topic was read (whether or not
   * it could be applied). Called by the subscriptions tailer, in offset order per partition.
   */
  public void read(int partition, long offset) {
    readUpTo.merge(partition, offset + 1, Math::max);
    NavigableSet<Long> own = ownWrites.get(partition);
    if (own != null) {
      own.headSet(offset, true).clear();
    }
  }

  /**
   * Notes this instance's own write at {@code partition}/{@code offset}, already applied: the
   * fan-out need not wait for the tailer to read it back.
   */
  public void wrote(int partition, long offset) {
    ownWrites.computeIfAbsent(partition, p -> new ConcurrentSkipListSet<>()).add(offset);
  }

  /**
   * True once every record before these end offsets (partition to offset) has been read, or is
   * one of this instance's own writes.
   */
  public boolean hasRead(Map<Integer, Long> endOffsets) {
    for (Map.Entry<Integer, Long> e : endOffsets.entrySet()) {
      long at = readUpTo.getOrDefault(e.getKey(), 0L);
      NavigableSet<Long> own = ownWrites.get(e.getKey());
      while (at < e.getValue() && own != null && own.contains(at)) {
        at++;
      }
      if (at < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  public Optional<Subscription> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  public List<Subscription> all() {
    return byId.values().stream().sorted(Comparator.comparing(Subscription::createdAt)
        .thenComparing(Subscription::id)).toList();
  }

  public Collection<Subscription> enabled() {
    return byId.values().stream().filter(Subscription::enabled).toList();
  }

  /**
   * The enabled subscriptions indexed for matching events, as of the latest change applied: built
   * again on the first call after a change (by the caller's thread, the fan-out's), so replaying
   * the topic costs one build, not one per record.
   */
  SubscriptionIndex index() {
    IndexAt current = index;
    long now = version.get();
    if (current.version() != now) {
      // Read before building: a change made meanwhile bumps the version again and rebuilds next time.
      current = new IndexAt(now, new SubscriptionIndex(enabled()));
      index = current;
    }
    return current.index();
  }

  public long disabledCount() {
    return byId.values().stream().filter(s -> !s.enabled()).count();
  }
}
