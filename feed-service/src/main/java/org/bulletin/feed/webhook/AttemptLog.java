package org.bulletin.feed.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The newest attempts, materialized from the attempts topic, with an index by endpoint and by
 * event. Bounded three ways: at most {@code perEndpoint} attempts per endpoint, response snippets
 * and errors cut to {@code snippetBytes} (UTF-8), and at most {@code maxBytes} in all (estimated),
 * the oldest attempts going first. A deleted endpoint's attempts are dropped with it. Thread-safe.
 *
 * <p>Ordered by the attempts' own times, not by arrival: this instance's attempts arrive as it
 * makes them, other instances' and earlier runs' later from the topic, so an older attempt read
 * after a newer one still lists below it, and when an endpoint's share is full it is the oldest
 * that goes (an older attempt arriving then is not kept).
 */
public final class AttemptLog {
  /** Fixed cost of one kept attempt: the record, its fields' objects, the index entries. */
  static final int ENTRY_OVERHEAD = 400;
  /** Newest first: by time, then by arrival. */
  private static final Comparator<Node> NEWEST_FIRST = Comparator.comparing(Node::at).thenComparingLong(Node::seq)
      .reversed();

  private final int perEndpoint;
  private final int snippetBytes;
  private final long maxBytes;
  private final TreeSet<Node> all = new TreeSet<>(NEWEST_FIRST);
  private final Map<String, TreeSet<Node>> byEndpoint = new HashMap<>();
  private final Map<String, List<Node>> byEvent = new HashMap<>();
  private long seq;
  private long bytes;

  private record Node(long seq, Attempt attempt, long bytes) {
    Instant at() {
      return attempt.at() == null ? Instant.EPOCH : attempt.at();
    }
  }

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
    all.add(node);
    bytes += node.bytes();
    TreeSet<Node> endpoint = byEndpoint.computeIfAbsent(kept.subscriptionId(), k -> new TreeSet<>(NEWEST_FIRST));
    endpoint.add(node);
    byEvent.computeIfAbsent(kept.eventId(), k -> new ArrayList<>(2)).add(node);
    while (endpoint.size() > perEndpoint) {
      remove(endpoint.last()); // the oldest: possibly the one just added
    }
    while (bytes > maxBytes) {
      remove(all.last());
    }
  }

  /** Forgets every attempt of a deleted endpoint. */
  public synchronized void removeEndpoint(String subscriptionId) {
    TreeSet<Node> endpoint = byEndpoint.get(subscriptionId);
    while (endpoint != null && !endpoint.isEmpty()) {
      remove(endpoint.last());
    }
  }

  /** Newest first. */
  public synchronized List<Attempt> forEndpoint(String subscriptionId, String eventId, int limit) {
    TreeSet<Node> endpoint = byEndpoint.get(subscriptionId);
    if (endpoint == null) {
      return List.of();
    }
    return endpoint.stream().map(Node::attempt).filter(a -> eventId == null || a.eventId().equals(eventId))
        .limit(limit).toList();
  }

  /** Oldest first, every endpoint. */
  public synchronized List<Attempt> forEvent(String eventId) {
    return byEvent.getOrDefault(eventId, List.of()).stream().sorted(NEWEST_FIRST.reversed()).map(Node::attempt)
        .toList();
  }

  /** The estimated bytes kept. */
  public synchronized long bytes() {
    return bytes;
  }

  private void remove(Node node) {
    if (!all.remove(node)) {
      return;
    }
    bytes -= node.bytes();
    Attempt a = node.attempt();
    TreeSet<Node> endpoint = byEndpoint.get(a.subscriptionId());
    if (endpoint != null) {
      endpoint.remove(node);
      if (endpoint.isEmpty()) {
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
