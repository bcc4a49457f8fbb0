package org.bulletin.feed.websub;

import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.bulletin.feed.delivery.DeliveryQueue;
import org.bulletin.feed.delivery.DeliveryTask;
import org.bulletin.feed.serve.CachedDocument;

/**
 * One document change as the delivery engine's tasks: the full document with the topic's exact
 * Content-Type and its {@code Link} header (hub and self), one task per subscriber, keyed by the
 * subscription; the message id is stable per subscriber and document, so a change enqueued twice
 * (a distributor failover) carries the same id. Any thread.
 */
public final class EngineDeliveries implements HubDeliveries {
  private final DeliveryQueue queue;
  private final Clock clock;

  public EngineDeliveries(DeliveryQueue queue, Clock clock) {
    this.queue = queue;
    this.clock = clock;
  }

  @Override
  public Future<Void> enqueue(String topic, CachedDocument document, List<HubSubscription> subscribers) {
    byte[] body = document.body().getBytes();
    Map<String, List<String>> headers = new java.util.HashMap<>();
    headers.put("User-Agent", List.of("Bulletin-WebSub/1.0"));
    if (document.link() != null) {
      // One header line per link (hub, self), as WebSub 7 shows them.
      headers.put("Link", List.of(document.link().split(", (?=<)")));
    }
    Map<String, String> labels = Map.of("topic", topic);
    long now = clock.millis();
    return enqueueFrom(topic, document, subscribers, 0, body, headers, labels, now);
  }

  /**
   * A chunk at a time, each written and acknowledged before the next is built: a large fan-out
   * neither holds the event loop for long nor fills the producer's buffer (each task carries the
   * whole document).
   */
  private Future<Void> enqueueFrom(String topic, CachedDocument document, List<HubSubscription> subscribers,
      int from, byte[] body, Map<String, List<String>> headers, Map<String, String> labels, long now) {
    int to = Math.min(subscribers.size(), from + CHUNK);
    List<DeliveryTask> tasks = new ArrayList<>(to - from);
    for (HubSubscription s : subscribers.subList(from, to)) {
      tasks.add(DeliveryTask.first(WebSubEndpoints.CHANNEL, s.key(), messageId(s.key(), document.etag()), labels,
          clock.instant(), document.contentType(), headers, body, now, -1, -1));
    }
    Future<Void> written = queue.enqueue(tasks);
    return to == subscribers.size() ? written
        : written.compose(v -> enqueueFrom(topic, document, subscribers, to, body, headers, labels, now));
  }

  /** Tasks built and written at once. */
  static final int CHUNK = 64;

  static String messageId(String key, String etag) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(key.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) ' ');
      sha.update(etag.getBytes(StandardCharsets.UTF_8));
      return "msg_ws_" + HexFormat.of().formatHex(sha.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
