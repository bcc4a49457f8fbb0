package org.bulletin.feed.websub;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every WebSub subscription, materialized from the compacted subscriptions topic by every
 * instance (and updated at once by this instance's own writes). Thread-safe.
 */
public final class HubSubscriptions {
  private final Map<String, HubSubscription> byKey = new ConcurrentHashMap<>();
  // Per topic, for the distributor: which callbacks one document change goes to.
  private final Map<String, Map<String, HubSubscription>> byTopic = new ConcurrentHashMap<>();

  // Keys of subscriptions that ended (tombstones read), most recent last, bounded: the delivery
  // engine's tasks for them are ended quietly instead of waiting as unknown endpoints.
  private final int endedMax;
  private final java.util.LinkedHashMap<String, Boolean> ended = new java.util.LinkedHashMap<>();

  /** Remembers up to 100,000 ended subscriptions. */
  public HubSubscriptions() {
    this(100_000);
  }

  /** @param endedMax ended subscriptions remembered (the oldest are forgotten first) */
  public HubSubscriptions(int endedMax) {
    this.endedMax = endedMax;
  }

  /** Whether a subscription with this key existed and ended (unsubscribed, expired, gone) and was not renewed. */
  public boolean ended(String key) {
    synchronized (ended) {
      return ended.containsKey(key);
    }
  }

  private final java.util.List<java.util.function.Consumer<String>> removed =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Calls {@code listener} with the key of each subscription removed, on the thread that removes it. */
  public void onRemoved(java.util.function.Consumer<String> listener) {
    removed.add(listener);
  }

  /**
   * Applies a record: a subscription, or a tombstone ({@code null}) for {@code key}. Any thread:
   * the tailer, the hub's API, and the delivery engine's shards (a 410 or a failing callback ends
   * its subscription) apply at the same time; the maps change under one lock, so a key's entries
   * always agree and the removal listeners run after it, outside the lock.
   */
  public void apply(String key, HubSubscription s) {
    HubSubscription old;
    synchronized (ended) {
      old = s == null ? byKey.remove(key) : byKey.put(key, s);
      if (s == null) {
        ended.put(key, Boolean.TRUE);
        if (ended.size() > endedMax) {
          ended.remove(ended.keySet().iterator().next());
        }
      } else {
        ended.remove(key);
      }
      if (old != null && (s == null || !old.topic().equals(s.topic()))) {
        byTopic.computeIfPresent(old.topic(), (t, m) -> {
          m.remove(key);
          return m.isEmpty() ? null : m;
        });
      }
      if (s != null) {
        // Inside the compute: a topic's map emptied and dropped meanwhile would lose the put.
        byTopic.compute(s.topic(), (t, m) -> {
          Map<String, HubSubscription> of = m == null ? new ConcurrentHashMap<>() : m;
          of.put(key, s);
          return of;
        });
      }
    }
    if (s == null && old != null) {
      removed.forEach(l -> l.accept(key));
    }
  }

  public Optional<HubSubscription> get(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  public int size() {
    return byKey.size();
  }

  /** The subscriptions of a topic whose lease runs at {@code now}. */
  public List<HubSubscription> active(String topic, Instant now) {
    Map<String, HubSubscription> m = byTopic.get(topic);
    return m == null ? List.of() : m.values().stream().filter(s -> s.activeAt(now)).toList();
  }

  /** Every subscription of a topic (expired ones too, until removed), oldest first. */
  public List<HubSubscription> ofTopic(String topic) {
    Map<String, HubSubscription> m = byTopic.get(topic);
    return m == null ? List.of() : m.values().stream()
        .sorted(Comparator.comparing(HubSubscription::createdAt).thenComparing(HubSubscription::key)).toList();
  }

  /** Every subscription whose lease ended before {@code now}. */
  public List<HubSubscription> expired(Instant now) {
    return byKey.values().stream().filter(s -> !s.activeAt(now)).toList();
  }

  /** Every topic with at least one subscription. */
  public java.util.Set<String> topics() {
    return java.util.Set.copyOf(byTopic.keySet());
  }
}
