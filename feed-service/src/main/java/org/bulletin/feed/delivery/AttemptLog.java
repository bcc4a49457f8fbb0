package org.bulletin.feed.delivery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The newest attempts, materialized from the attempts topic: a bounded number per endpoint, and
 * an index by event over what is kept. Memory is bounded by configuration. Thread-safe.
 */
public final class AttemptLog {
  private final int perEndpoint;
  private final Map<String, Deque<Attempt>> byEndpoint = new HashMap<>();
  private final Map<String, List<Attempt>> byEvent;

  public AttemptLog(int perEndpoint, int events) {
    this.perEndpoint = perEndpoint;
    this.byEvent = new LinkedHashMap<>(256, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, List<Attempt>> eldest) {
        return size() > events;
      }
    };
  }

  public synchronized void add(Attempt attempt) {
    Deque<Attempt> deque = byEndpoint.computeIfAbsent(attempt.subscriptionId(), k -> new ArrayDeque<>());
    deque.addFirst(attempt);
    while (deque.size() > perEndpoint) {
      deque.removeLast();
    }
    byEvent.computeIfAbsent(attempt.eventId(), k -> new ArrayList<>()).add(attempt);
  }

  /** Newest first. */
  public synchronized List<Attempt> forEndpoint(String subscriptionId, String eventId, int limit) {
    return byEndpoint.getOrDefault(subscriptionId, new ArrayDeque<>()).stream()
        .filter(a -> eventId == null || a.eventId().equals(eventId)).limit(limit).toList();
  }

  /** Oldest first, every endpoint. */
  public synchronized List<Attempt> forEvent(String eventId) {
    return List.copyOf(byEvent.getOrDefault(eventId, List.of()));
  }
}
