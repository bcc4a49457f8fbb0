package org.bulletin.feed.websub;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.bulletin.feed.delivery.RecordSender;
import org.bulletin.feed.serve.CachedDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Content distribution (WebSub 7): when a topic's current document changes, every active
 * subscriber of it gets the new document, through the delivery engine. Only the leader
 * ({@link DistributionLeadership}) hands changes on, so each change is enqueued once across all
 * instances; after a change is enqueued the leader records a {@link DistributionMarker} for the
 * topic, so a new leader (after a failover or a restart of every instance) sends what changed
 * meanwhile. A leader never sends a document older than the recorded one. Runs on the hub's
 * context; {@link #changed} is called on the view thread, {@link #tookOver} on the leadership thread.
 */
public final class HubDistributor {
  private static final Logger LOG = LoggerFactory.getLogger(HubDistributor.class);
  // How often a new leader looks again whether the view rendered its documents yet.
  private static final long RENDER_WAIT_MILLIS = 200;
  private static final long TAKEOVER_RETRY_MILLIS = 5_000;
  private final Context context;
  private final HubSubscriptions store;
  private final TopicCatalog catalog;
  private final Leadership leadership;
  private final RecordSender sender;
  private final String markers;
  private final HubDeliveries deliveries;
  private final Function<String, Future<Optional<CachedDocument>>> current;
  private final BooleanSupplier readyToSend;
  private final Clock clock;
  private final DistributionQueue queue;

  public HubDistributor(Context context, HubSubscriptions store, TopicCatalog catalog,
      Leadership leadership, RecordSender sender, String markers, HubDeliveries deliveries,
      Function<String, Future<Optional<CachedDocument>>> current, BooleanSupplier readyToSend, Clock clock) {
    this(context, store, catalog, leadership, sender, markers, deliveries, current, readyToSend, clock,
        DistributionQueue.Limits.DEFAULT);
  }

  /**
   * @param markers the distribution topic (the leader's record of what it sent)
   * @param current the current document at a path, as a request gets it (rendered again if it was
   *     evicted from the cache); completes on {@code context}
   * @param readyToSend whether the view rendered every current document after catching up and the
   *     subscriptions are loaded (before, the documents are not current, changes are not reported
   *     and "no subscriber" may be wrong)
   */
  public HubDistributor(Context context, HubSubscriptions store, TopicCatalog catalog,
      Leadership leadership, RecordSender sender, String markers, HubDeliveries deliveries,
      Function<String, Future<Optional<CachedDocument>>> current, BooleanSupplier readyToSend, Clock clock,
      DistributionQueue.Limits limits) {
    this.context = context;
    this.store = store;
    this.catalog = catalog;
    this.leadership = leadership;
    this.sender = sender;
    this.markers = markers;
    this.deliveries = deliveries;
    this.current = current;
    this.readyToSend = readyToSend;
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
   * This instance just became the leader: once the view has rendered its documents (a restart
   * ingests changes before it renders, and that first render reports no change), sends every
   * topic with active subscribers whose current document differs from what was recorded, topics
   * never recorded included (see {@link DistributionMarker#takeOverSends}). Called on the
   * leadership thread.
   */
  public void tookOver() {
    context.runOnContext(v -> takeOverWhenRendered());
  }

  private void takeOverWhenRendered() {
    if (!leadership.leader()) {
      return;
    }
    if (!readyToSend.getAsBoolean()) {
      context.owner().setTimer(RENDER_WAIT_MILLIS, id -> context.runOnContext(v -> takeOverWhenRendered()));
      return;
    }
    takeOver(new ArrayList<>(store.topics()).iterator());
  }

  /** One topic at a time: a document evicted from the cache is rendered again on the view thread. */
  private void takeOver(Iterator<String> topics) {
    while (topics.hasNext() && leadership.leader()) {
      String topic = topics.next();
      if (catalog.judge(topic) == TopicCatalog.Verdict.FOREIGN || store.active(topic, clock.instant()).isEmpty()) {
        continue;
      }
      String path = catalog.path(topic);
      current.apply(path).onComplete(ar -> {
        if (ar.failed()) {
          // Not skipped: a change may be waiting in it. Tried again while this instance leads.
          LOG.warn("WebSub takeover could not get the current document of {} (tried again in {} ms): {}", topic,
              TAKEOVER_RETRY_MILLIS, ar.cause().toString());
          context.owner().setTimer(TAKEOVER_RETRY_MILLIS,
              id -> context.runOnContext(v -> takeOver(List.of(topic).iterator())));
        } else {
          ar.result().filter(doc -> DistributionMarker.takeOverSends(leadership.distributed(topic), doc.etag(),
              doc.lastModified())).ifPresent(doc -> distribute(path, doc));
        }
        context.runOnContext(v -> takeOver(topics));
      });
      return;
    }
  }

  /** Queues a change; the queue bounds what is in flight and retries failures. On the hub's context. */
  private void distribute(String path, CachedDocument document) {
    if (leadership.leader()) {
      queue.submit(path, document);
    }
  }

  /** One hand-over: the tasks, then the record of what was sent; on the hub's context. */
  private Future<Void> send(String path, CachedDocument document) {
    if (!leadership.leader()) {
      return Future.succeededFuture(); // the new leader sends what changed
    }
    if (!readyToSend.getAsBoolean()) {
      // Subscriptions still loading: "no subscriber" now may be wrong; the queue retries.
      return Future.failedFuture(new DistributionQueue.NotYetException("the WebSub subscriptions are not loaded yet"));
    }
    String topic = catalog.topic(path);
    DistributionMarker sent = leadership.distributed(topic);
    if (sent != null && sent.newerThan(document.lastModified())) {
      return Future.succeededFuture(); // this instance's view lags the one that sent the newer document
    }
    List<HubSubscription> subscribers = store.active(topic, clock.instant());
    if (subscribers.isEmpty()) {
      return Future.succeededFuture();
    }
    DistributionMarker marker = new DistributionMarker(document.etag(), document.lastModified());
    return deliveries.enqueue(topic, document, subscribers)
        .compose(v -> sender.send(markers, topic, marker.encode()).<Void>mapEmpty())
        .onSuccess(v -> leadership.wrote(topic, marker));
  }
}
