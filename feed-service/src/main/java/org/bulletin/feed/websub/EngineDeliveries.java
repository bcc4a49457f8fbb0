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
 * One document change as the delivery engine's tasks, one per subscriber, keyed by the subscription.
 * A task only references the document (its topic, and the ETag it was made for, shown in the
 * attempt log): {@link HubPayloads} puts in the topic's CURRENT document just before each attempt,
 * so a task is a few hundred bytes whatever the document's size, and a retried older task never
 * sends an older document. The message id is stable per subscriber and document, so a change
 * enqueued twice (a distributor failover) carries the same id. Any thread.
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
    Map<String, String> labels = Map.of(HubPayloads.TOPIC, topic, HubPayloads.ETAG, document.etag(),
        HubPayloads.MODIFIED, Long.toString(document.lastModified().toEpochMilli()));
    return enqueueFrom(document, subscribers, 0, labels, topic.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        clock.millis());
  }

  /**
   * A task's payload until it is resolved: the topic URL it stands for (the engine refuses a task
   * without a payload).
   */
  static final String REFERENCE = "text/uri-list";

  /** A chunk at a time, each written and acknowledged before the next is built. */
  private Future<Void> enqueueFrom(CachedDocument document, List<HubSubscription> subscribers, int from,
      Map<String, String> labels, byte[] reference, long now) {
    int to = Math.min(subscribers.size(), from + CHUNK);
    List<DeliveryTask> tasks = new ArrayList<>(to - from);
    for (HubSubscription s : subscribers.subList(from, to)) {
      tasks.add(DeliveryTask.first(WebSubEndpoints.CHANNEL, s.key(), messageId(s.key(), document.etag()), labels,
          clock.instant(), REFERENCE, Map.of(), reference, now, -1, -1));
    }
    Future<Void> written = queue.enqueue(tasks);
    return to == subscribers.size() ? written
        : written.compose(v -> enqueueFrom(document, subscribers, to, labels, reference, now));
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
