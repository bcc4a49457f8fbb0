package org.bulletin.feed.websub;

import io.vertx.core.Context;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.bulletin.feed.delivery.RecordSender;
import org.bulletin.feed.serve.CachedDocument;

/**
 * Content distribution (WebSub 7): when a topic's current document changes, every active
 * subscriber of it gets the new document, through the delivery engine. Only the leader
 * ({@link DistributionLeadership}) hands changes on, so each change is enqueued once across all
 * instances; after a change is enqueued the leader records the document's ETag for the topic, so a
 * new leader (after a failover or a restart of every instance) sends what changed meanwhile, and
 * nothing else. Runs on the hub's context; {@link #changed} is called on the view thread.
 */
public final class HubDistributor {
  private final Context context;
  private final HubSubscriptions store;
  private final TopicCatalog catalog;
  private final Leadership leadership;
  private final RecordSender sender;
  private final String markers;
  private final HubDeliveries deliveries;
  private final Function<String, Optional<CachedDocument>> current;
  private final Clock clock;
  private final DistributionQueue queue;

  public HubDistributor(Context context, HubSubscriptions store, TopicCatalog catalog,
      Leadership leadership, RecordSender sender, String markers, HubDeliveries deliveries,
      Function<String, Optional<CachedDocument>> current, Clock clock) {
    this(context, store, catalog, leadership, sender, markers, deliveries, current, clock,
        DistributionQueue.Limits.DEFAULT);
  }

  /**
   * @param markers the distribution topic (the leader's record of what it sent)
   * @param current the current document at a path (the document cache, any thread)
   */
  public HubDistributor(Context context, HubSubscriptions store, TopicCatalog catalog,
      Leadership leadership, RecordSender sender, String markers, HubDeliveries deliveries,
      Function<String, Optional<CachedDocument>> current, Clock clock, DistributionQueue.Limits limits) {
    this.context = context;
    this.store = store;
    this.catalog = catalog;
    this.leadership = leadership;
    this.sender = sender;
    this.markers = markers;
    this.deliveries = deliveries;
    this.current = current;
    this.clock = clock;
    this.queue = new DistributionQueue(context, limits, this::send, clock);
  }

  /** Distributions that failed (each retried); any thread. */
  public long failures() {
    return queue.failures();
  }

  /** Why distribution is unhealthy, or null; any thread. */
  public String problem() {
    return queue.problem();
  }

  /** Documents whose bytes changed (by path), once per change; called on the view thread. */
  public void changed(Map<String, CachedDocument> documents) {
    if (leadership.leader()) {
      context.runOnContext(v -> documents.forEach(this::distribute));
    }
  }

  /**
   * This instance just became the leader: sends every topic whose document differs from what the
   * previous leader recorded. Topics never distributed before are left alone (their subscribers
   * subscribed after the last change). Called on the leadership thread.
   */
  public void tookOver() {
    context.runOnContext(v -> {
      for (String topic : store.topics()) {
        String sent = leadership.distributed(topic);
        if (sent == null) {
          continue;
        }
        current.apply(catalog.path(topic)).filter(doc -> !doc.etag().equals(sent))
            .ifPresent(doc -> distribute(catalog.path(topic), doc));
      }
    });
  }

  /** Queues a change; the queue bounds what is in flight and retries failures. On the hub's context. */
  private void distribute(String path, CachedDocument document) {
    if (leadership.leader()) {
      queue.submit(path, document);
    }
  }

  /** One hand-over: the tasks, then the record of what was sent; on the hub's context. */
  private io.vertx.core.Future<Void> send(String path, CachedDocument document) {
    if (!leadership.leader()) {
      return io.vertx.core.Future.succeededFuture(); // the new leader sends what changed
    }
    String topic = catalog.topic(path);
    List<HubSubscription> subscribers = store.active(topic, clock.instant());
    if (subscribers.isEmpty()) {
      return io.vertx.core.Future.succeededFuture();
    }
    return deliveries.enqueue(topic, document, subscribers)
        .compose(v -> sender.send(markers, topic, document.etag().getBytes(StandardCharsets.UTF_8)).<Void>mapEmpty())
        .onSuccess(v -> leadership.wrote(topic, document.etag()));
  }
}
