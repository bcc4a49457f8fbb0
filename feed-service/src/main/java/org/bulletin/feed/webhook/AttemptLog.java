package org.bulletin.feed.webhook;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The newest attempts (this instance's once durable, other instances' and earlier runs' read from
 * the attempts topic), with an index by endpoint and by
 * event. Bounded three ways: at most {@code perEndpoint} attempts per endpoint, response snippets
 * and errors cut to {@code snippetBytes} (UTF-8), and at most {@code maxBytes} in all (estimated),
 * the oldest attempts going first. A deleted endpoint's attempts are dropped with it. Thread-safe.
 */
public final class AttemptLog {
  /** Fixed cost of one kept attempt: the record, its fields' objects, the index entries. */
  static final int ENTRY_OVERHEAD = 400;

  private final int perEndpoint;
  private final int snippetBytes;
  private final long maxBytes;
  private final LinkedHashMap<Long, Node> oldestFirst = new LinkedHashMap<>();
  private final Map<String, Deque<Node>> byEndpoint = new HashMap<>();
  private final Map<String, List<Node>> byEvent = new HashMap<>();
  private long seq;
  private long bytes;

  private record Node(long seq, Attempt attempt, long bytes) {}

  public AttemptLog(int perEndpoint, int snippetBytes, long maxBytes) {
    this.perEndpoint = perEndpoint;
    this.snippetBytes = snippetBytes;
    this.maxBytes = maxBytes;
  }

  public synchronized void add(Attempt attempt) {
    Attempt kept = cut(attempt);
    Node node = new Node(seq++, kept, estimate(kept));
    if (node.bytes() > maxBytes) {
      return;
    }
    oldestFirst.put(node.seq(), node);
    bytes += node.bytes();
    Deque<Node> deque = byEndpoint.computeIfAbsent(kept.subscriptionId(), k -> new ArrayDeque<>());
    deque.addFirst(node);
    byEvent.computeIfAbsent(kept.eventId(), k -> new ArrayList<>(2)).add(node);
    while (deque.size() > perEndpoint) {
      remove(deque.peekLast());
    }
    while (bytes > maxBytes) {
      remove(oldestFirst.values().iterator().next());
    }
  }

  /** Forgets every attempt of a deleted endpoint. */
  public synchronized void removeEndpoint(String subscriptionId) {
    Deque<Node> deque = byEndpoint.get(subscriptionId);
    while (deque != null && !deque.isEmpty()) {
      remove(deque.peekLast());
    }
  }

  /** Newest first. */
  public synchronized List<Attempt> forEndpoint(String subscriptionId, String eventId, int limit) {
    return byEndpoint.getOrDefault(subscriptionId, new ArrayDeque<>()).stream().map(Node::attempt)
        .filter(a -> eventId == null || a.eventId().equals(eventId)).limit(limit).toList();
  }

  /** Oldest first, every endpoint. */
  public synchronized List<Attempt> forEvent(String eventId) {
    return byEvent.getOrDefault(eventId, List.of()).stream().map(Node::attempt).toList();
  }

  /** The estimated bytes kept. */
  public synchronized long bytes() {
    return bytes;
  }

  private void remove(Node node) {
    if (oldestFirst.remove(node.seq()) == null) {
      return;
    }
    bytes -= node.bytes();
    Attempt a = node.attempt();
    Deque<Node> deque = byEndpoint.get(a.subscriptionId());
    if (deque != null) {
      if (deque.peekLast() == node) {
        deque.pollLast();
      } else {
        deque.remove(node);
      }
      if (deque.isEmpty()) {
        byEndpoint.remove(a.subscriptionId());
      }
    }
    List<Node> list = byEvent.get(a.eventId());
    if (list != null) {
      list.remove(node);
      if (list.isEmpty()) {
        byEvent.remove(a.eventId());
      }
    }
  }

  private Attempt cut(Attempt a) {
    String snippet = cut(a.responseSnippet());
    String error = cut(a.error());
    if (snippet == a.responseSnippet() && error == a.error()) {
      return a;
    }
    return new Attempt(a.webhookId(), a.subscriptionId(), a.eventId(), a.eventType(), a.reportId(), a.attempt(),
        a.at(), a.status(), a.latencyMs(), snippet, error, a.outcome(), a.nextAttemptAt(), a.sourcePartition(),
        a.sourceOffset());
  }

  /** The text cut to at most {@code snippetBytes} of UTF-8, never inside a character. */
  String cut(String text) {
    if (text == null || text.length() * 3 <= snippetBytes) {
      return text;
    }
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    if (utf8.length <= snippetBytes) {
      return text;
    }
    int end = snippetBytes;
    while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
      end--; // back to the first byte of the character that would be cut
    }
    return new String(utf8, 0, end, StandardCharsets.UTF_8);
  }

  static long estimate(Attempt a) {
    return ENTRY_OVERHEAD + 2L * (len(a.webhookId()) + len(a.subscriptionId()) + len(a.eventId())
        + len(a.eventType()) + len(a.reportId()) + len(a.responseSnippet()) + len(a.error()) + len(a.outcome()));
  }

  private static int len(String s) {
    return s == null ? 0 : s.length();
  }
}
