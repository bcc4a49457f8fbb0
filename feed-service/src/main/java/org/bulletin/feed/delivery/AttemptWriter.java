package org.bulletin.feed.delivery;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes attempt records to the attempts topic in batches: one Kafka record per batch. A record is
 * sent at once when no batch is in flight (no added latency at low load); while one is, records
 * accumulate and go together as soon as it is acknowledged, at most {@code maxCount} of them and
 * {@code maxBytes} of JSON per batch. Each writer's future completes once the batch holding its
 * record is acknowledged, on the writer's Vert.x context (inline without one).
 *
 * <p>Thread-safe: event loops of several dispatchers write at once. Nothing here blocks: the lock
 * guards a list, encoding happens outside it, and the next batch is sent from the context that
 * received the previous acknowledgement (a writer's context, never the producer's I/O thread).
 * Records waiting are bounded by {@code maxWaiting} (one per task in flight on this instance);
 * beyond it a write fails, is counted ({@link #refused()}), and the record is written again later.
 */
public final class AttemptWriter {
  private static final Logger LOG = LoggerFactory.getLogger(AttemptWriter.class);
  private final RecordSender sender;
  private final String topic;
  private final int maxCount;
  private final int maxBytes;
  private final int maxWaiting;
  private final String instance = UUID.randomUUID().toString();
  private final List<Consumer<AttemptRecord>> durable = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  // Guarded by lock.
  private List<Entry> waiting = new ArrayList<>();
  private boolean inFlight;
  private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
  private volatile long refusedLoggedAt;

  private record Entry(AttemptRecord attempt, byte[] json, Context context, Promise<Void> promise) {}

  public AttemptWriter(RecordSender sender, String topic, int maxCount, int maxBytes, int maxWaiting) {
    this.sender = sender;
    this.topic = topic;
    this.maxCount = maxCount;
    this.maxBytes = maxBytes;
    this.maxWaiting = maxWaiting;
  }

  /** The random id of this run, in every batch's {@value AttemptBatch#INSTANCE_HEADER} header. */
  public String instance() {
    return instance;
  }

  public String topic() {
    return topic;
  }

  /**
   * Adds a consumer of this instance's attempts, called once each is durable (before its writer's
   * future completes), on the context that got the batch's acknowledgement: thread-safe, quick.
   */
  public void onDurable(Consumer<AttemptRecord> consumer) {
    durable.add(consumer);
  }

  /** Writes one attempt; completes once Kafka acknowledged the batch holding it. Any thread. */
  public Future<Void> write(AttemptRecord attempt) {
    Entry entry = new Entry(attempt, DeliveryJson.write(attempt), Vertx.currentContext(), Promise.promise());
    List<Entry> batch;
    synchronized (lock) {
      if (waiting.size() >= maxWaiting) {
        refused.incrementAndGet();
        long now = System.currentTimeMillis();
        if (now - refusedLoggedAt > 60_000) {
          refusedLoggedAt = now; // once a minute: Kafka is slow, every write would say the same
          LOG.warn("{} attempt records wait to be written to {}; more are refused and retried until Kafka catches up",
              maxWaiting, topic);
        }
        return Future.failedFuture(new IllegalStateException(
            "too many attempt records (" + maxWaiting + ") wait to be written to " + topic));
      }
      waiting.add(entry);
      if (inFlight) {
        return entry.promise().future();
      }
      inFlight = true;
      batch = take();
    }
    send(batch);
    return entry.promise().future();
  }

  /** Attempt records refused because too many waited (each is written again later). Any thread. */
  public long refused() {
    return refused.get();
  }

  /** Attempt records waiting for the batch in flight. Any thread. */
  public int waiting() {
    synchronized (lock) {
      return waiting.size();
    }
  }

  /** Under the lock: the next batch from the head of the waiting records. */
  private List<Entry> take() {
    int count = 0;
    long bytes = 0;
    for (Entry e : waiting) {
      if (count == maxCount || (count > 0 && bytes + e.json().length + 1 > maxBytes)) {
        break;
      }
      count++;
      bytes += e.json().length + 1;
    }
    List<Entry> batch;
    if (count == waiting.size()) {
      batch = waiting;
      waiting = new ArrayList<>();
    } else {
      batch = new ArrayList<>(waiting.subList(0, count));
      waiting.subList(0, count).clear();
    }
    return batch;
  }

  /** Sends batches until none waits; a sender that acknowledges inline does not deepen the stack. */
  private void send(List<Entry> first) {
    List<Entry> batch = first;
    while (batch != null) {
      Future<RecordMetadata> sent = sendOne(batch);
      if (!sent.isComplete()) {
        List<Entry> inThisBatch = batch;
        sent.onComplete(ar -> {
          try {
            settle(inThisBatch, ar.failed() ? ar.cause() : null);
          } finally {
            List<Entry> next = next(); // always: a batch left waiting would never be sent
            Context owner = next == null ? null : firstContext(next);
            if (next != null && Vertx.currentContext() == null && owner != null) {
              owner.runOnContext(v -> send(next)); // never send from the producer's own I/O thread
            } else if (next != null) {
              send(next); // on a context already, or no writer has one (tests)
            }
          }
        });
        return;
      }
      settle(batch, sent.failed() ? sent.cause() : null);
      batch = next();
    }
  }

  private static Context firstContext(List<Entry> batch) {
    for (Entry e : batch) {
      if (e.context() != null) {
        return e.context();
      }
    }
    return null;
  }

  private Future<RecordMetadata> sendOne(List<Entry> batch) {
    List<byte[]> jsons = new ArrayList<>(batch.size());
    Set<String> channels = new LinkedHashSet<>();
    for (Entry e : batch) {
      jsons.add(e.json());
      channels.add(e.attempt().channel());
    }
    try {
      return sender.send(topic, instance, AttemptBatch.value(jsons), AttemptBatch.headers(instance, channels));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private List<Entry> next() {
    synchronized (lock) {
      if (waiting.isEmpty()) {
        inFlight = false;
        return null;
      }
      return take();
    }
  }

  private void settle(List<Entry> batch, Throwable error) {
    if (error == null) {
      for (Entry e : batch) {
        for (Consumer<AttemptRecord> c : durable) {
          try {
            c.accept(e.attempt());
          } catch (RuntimeException failed) {
            LOG.warn("A view of attempts could not take attempt {} of {}/{}", e.attempt().attempt(),
                e.attempt().channel(), e.attempt().endpointId(), failed);
          }
        }
      }
    }
    Context here = Vertx.currentContext();
    for (Entry e : batch) {
      if (e.context() == null || e.context() == here) {
        complete(e.promise(), error);
      } else {
        e.context().runOnContext(v -> complete(e.promise(), error));
      }
    }
  }

  private static void complete(Promise<Void> promise, Throwable error) {
    if (error == null) {
      promise.complete();
    } else {
      promise.fail(error);
    }
  }
}
