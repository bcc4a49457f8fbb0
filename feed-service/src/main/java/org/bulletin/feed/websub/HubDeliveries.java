package org.bulletin.feed.websub;

import io.vertx.core.Future;
import java.util.List;
import org.bulletin.feed.serve.CachedDocument;

/**
 * Hands one document change to the delivery engine: one durable task per subscriber. The future
 * completes once every task is written (Kafka acknowledged).
 */
@FunctionalInterface
public interface HubDeliveries {
  Future<Void> enqueue(String topic, CachedDocument document, List<HubSubscription> subscribers);
}
