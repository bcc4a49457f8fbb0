package org.bulletin.feed.websub;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bulletin.feed.delivery.DeliveryTask;
import org.bulletin.feed.delivery.PayloadGoneException;
import org.bulletin.feed.content.ContentUnavailableException;
import org.bulletin.feed.serve.CachedDocument;

/**
 * Fills a WebSub task in just before each attempt (the engine's {@code resolve} hook): the body,
 * Content-Type and {@code Link} headers (hub, self) of the topic's document as it is NOW, asked
 * for through the document lookup (rendered on demand when it was evicted), so whatever task is
 * attempted, the subscriber gets the latest document. {@value #DELIVERY_HEADER} identifies the
 * document sent to this subscriber: it is equal for every POST of the same document (a retry, a
 * change enqueued twice, an older task that found the newer document), so subscribers can drop the
 * repeat. Called on the context of the task's dispatcher shard, by several shards at once (it keeps
 * no state of its own; the documents' lookup completes on the caller's context).
 */
public final class HubPayloads {
  /** Task label: the topic URL. */
  public static final String TOPIC = "topic";
  /** Task label: the ETag of the document the task was made for (the attempt log shows it). */
  public static final String ETAG = "etag";
  /** Label: the Last-Modified (epoch millis) of the document the task was made for. */
  public static final String MODIFIED = "modified";
  public static final String DELIVERY_HEADER = "X-Hub-Delivery";

  /** The current document at a path, or empty when there is none; must not block. */
  @FunctionalInterface
  public interface Documents {
    Future<Optional<CachedDocument>> find(String path);
  }

  private final TopicCatalog catalog;
  private final Documents documents;

  public HubPayloads(TopicCatalog catalog, Documents documents) {
    this.catalog = catalog;
    this.documents = documents;
  }

  /**
   * The task with the topic's current document; fails with {@link PayloadGoneException} when the
   * feed no longer exists, and otherwise (content not readable now, a pool full) to be retried.
   */
  public Future<DeliveryTask> resolve(DeliveryTask task) {
    String topic = task.label(TOPIC);
    if (topic == null || catalog.judge(topic) == TopicCatalog.Verdict.FOREIGN) {
      return Future.failedFuture(new PayloadGoneException("the topic " + topic + " is not a feed of this hub"));
    }
    return documents.find(catalog.path(topic)).map(found -> {
      CachedDocument doc = found.filter(d -> d.status() == 200)
          .orElseThrow(() -> new PayloadGoneException("the feed " + topic + " no longer exists"));
      if (olderThanTheTasks(task, doc)) {
        // This instance's view lags the distributor's: sending now would send an older document
        // under its own delivery id, and the change would never arrive. Retried on the schedule.
        throw new ContentUnavailableException("this instance's view has not reached the change of " + topic
            + " yet");
      }
      Map<String, List<String>> headers = new HashMap<>(task.headers());
      headers.put("User-Agent", List.of("Bulletin-WebSub/1.0"));
      if (doc.link() != null) {
        // One header line per link (hub, self), as WebSub 7 shows them.
        headers.put("Link", List.of(doc.link().split(", (?=<)")));
      }
      headers.put(DELIVERY_HEADER, List.of(EngineDeliveries.messageId(task.endpointId(), doc.etag())));
      return new DeliveryTask(task.channel(), task.endpointId(), task.messageId(), task.labels(), task.createdAt(),
          doc.contentType(), headers, doc.body().getBytes(), task.attempt(), task.notBefore(),
          task.sourcePartition(), task.sourceOffset(), task.dueAt());
    });
  }

  private static boolean olderThanTheTasks(DeliveryTask task, CachedDocument doc) {
    String modified = task.label(MODIFIED);
    if (modified == null || doc.etag().equals(task.label(ETAG))) {
      return false;
    }
    try {
      return doc.lastModified().toEpochMilli() < Long.parseLong(modified);
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
