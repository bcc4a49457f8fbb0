package org.bulletin.feed.delivery;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Where channels hand tasks to the engine: each is written to the tasks topic, keyed by its
 * endpoint (one endpoint's tasks stay in one partition, in order). The future completes once Kafka
 * acknowledged every one of them, and fails if any write failed (those already written are
 * delivered; a caller retrying the whole list repeats them with the same message ids). Any thread.
 */
public final class DeliveryQueue {
  private final RecordSender sender;
  private final String topic;
  private final int maxBytes;

  public DeliveryQueue(RecordSender sender, DeliveryEngineSettings settings) {
    this.sender = sender;
    this.topic = settings.tasks().name();
    this.maxBytes = settings.taskMaxBytes();
  }

  public Future<Void> enqueue(DeliveryTask task) {
    byte[] value = TaskCodec.encode(task);
    if (value.length > maxBytes) {
      return Future.failedFuture(new IllegalArgumentException("the task has " + value.length
          + " bytes, over the limit of " + maxBytes + " (webhook.task.max.bytes)"));
    }
    return sender.send(topic, task.endpointId(), value).mapEmpty();
  }

  public Future<Void> enqueue(List<DeliveryTask> tasks) {
    List<Future<Void>> writes = new ArrayList<>(tasks.size());
    for (DeliveryTask t : tasks) {
      writes.add(enqueue(t));
    }
    return Future.all(writes).mapEmpty();
  }
}
