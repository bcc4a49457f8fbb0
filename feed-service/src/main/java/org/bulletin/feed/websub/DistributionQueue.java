package org.bulletin.feed.websub;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.bulletin.feed.serve.CachedDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The distributor's one pipeline of document changes on their way into the delivery engine: at most
 * {@code websub.distribution.max.in.flight} topics are handed over at once, one at a time per topic,
 * and a newer change of a topic replaces the one still waiting (tasks resolve the latest document
 * when attempted, so nothing is lost). At most one entry per feed document waits, so the queue is
 * bounded by the feeds served.
 *
 * <p>A failed hand-over is never dropped: it is counted ({@link #failures()}), logged and retried
 * with backoff (1 s, doubling, at most {@code websub.distribution.retry.max}), unless a newer change
 * of the topic comes first. While a topic has been failing longer than
 * {@code websub.distribution.down.after}, {@link #problem()} says so (readiness DOWN) until it is
 * handed over. Runs on the hub's context; {@link #failures()} and {@link #problem()} on any thread.
 */
final class DistributionQueue {
  private static final Logger LOG = LoggerFactory.getLogger(DistributionQueue.class);
  private static final long FIRST_RETRY_MS = 1000;
  private static final long NOT_YET_RETRY_MS = 250;

  /** The pipeline's bounds, from {@link WebSubSettings}. */
  record Limits(int maxInFlight, Duration retryMax, Duration downAfter) {
    static final Limits DEFAULT = new Limits(2, Duration.ofMinutes(1), Duration.ofMinutes(5));
  }

  /** Hands one change over (the tasks, then the distribution record); completes on any thread. */
  @FunctionalInterface
  interface Sender {
    Future<Void> send(String path, CachedDocument document);
  }

  private record Failing(Instant since, int count) {}

  /**
   * A hand-over that cannot be made yet for a known, passing reason (the subscriptions are still
   * loading at start): retried soon, logged at DEBUG, not counted as a failure.
   */
  static final class NotYetException extends RuntimeException {
    NotYetException(String message) {
      super(message, null, false, false);
    }
  }

  private final Vertx vertx;
  private final Context context;
  private final Limits limits;
  private final Sender sender;
  private final Clock clock;
  private final LinkedHashMap<String, CachedDocument> waiting = new LinkedHashMap<>();
  private final Set<String> running = new HashSet<>();
  private final Map<String, Failing> failing = new HashMap<>();
  private final Map<String, Long> retryTimers = new HashMap<>();
  private final AtomicLong failures = new AtomicLong();
  private volatile Instant failingSince;

  DistributionQueue(Context context, Limits limits, Sender sender, Clock clock) {
    this.vertx = context.owner();
    this.context = context;
    this.limits = limits;
    this.sender = sender;
    this.clock = clock;
  }

  /** A change of the document at {@code path}; on the hub's context. */
  void submit(String path, CachedDocument document) {
    Long timer = retryTimers.remove(path);
    if (timer != null) {
      vertx.cancelTimer(timer); // the newer change is sent instead of the failed one
    }
    // A lookup made earlier (a takeover) may complete after a newer change: never go back.
    waiting.merge(path, document, (was, now) -> was.lastModified().isAfter(now.lastModified()) ? was : now);
    pump();
  }

  /** Hand-overs that failed (each retried), since start. */
  long failures() {
    return failures.get();
  }

  /** Why distribution is unhealthy (a topic failing longer than the configured time), or null. */
  String problem() {
    Instant since = failingSince;
    if (since == null || Duration.between(since, clock.instant()).compareTo(limits.downAfter()) <= 0) {
      return null;
    }
    return "WebSub distribution has been failing since " + since + " (a document change could not be handed to"
        + " the delivery engine; retrying)";
  }

  /** Changes waiting or being handed over (for tests). */
  int size() {
    return waiting.size() + running.size() + retryTimers.size();
  }

  private void pump() {
    for (Iterator<Map.Entry<String, CachedDocument>> it = waiting.entrySet().iterator();
        running.size() < limits.maxInFlight() && it.hasNext();) {
      Map.Entry<String, CachedDocument> e = it.next();
      if (running.contains(e.getKey())) {
        continue; // one at a time per topic: the newer change goes once this one is over
      }
      it.remove();
      start(e.getKey(), e.getValue());
    }
  }

  private void start(String path, CachedDocument document) {
    running.add(path);
    Future<Void> sent;
    try {
      sent = sender.send(path, document);
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    sent.onComplete(ar -> context.runOnContext(v -> {
      running.remove(path);
      if (ar.succeeded()) {
        failing.remove(path);
      } else {
        failed(path, document, ar.cause());
      }
      refresh();
      pump();
    }));
  }

  private void failed(String path, CachedDocument document, Throwable cause) {
    long delay;
    if (cause instanceof NotYetException) {
      delay = NOT_YET_RETRY_MS;
      LOG.debug("WebSub distribution of {} waits: {}; trying again in {} ms", path, cause.getMessage(), delay);
    } else {
      failures.incrementAndGet();
      Failing f = failing.merge(path, new Failing(clock.instant(), 1),
          (old, one) -> new Failing(old.since(), old.count() + 1));
      delay = Math.min(limits.retryMax().toMillis(), FIRST_RETRY_MS << Math.min(f.count() - 1, 20));
      LOG.error("WebSub distribution of {} failed (failing since {}, {} time(s)); retrying in {} ms", path, f.since(),
          f.count(), delay, cause);
    }
    if (waiting.containsKey(path)) {
      return; // a newer change is next anyway
    }
    retryTimers.put(path, vertx.setTimer(Math.max(1, delay), t -> {
      retryTimers.remove(path);
      waiting.putIfAbsent(path, document);
      pump();
    }));
  }

  private void refresh() {
    Instant oldest = null;
    for (Failing f : failing.values()) {
      if (oldest == null || f.since().isBefore(oldest)) {
        oldest = f.since();
      }
    }
    failingSince = oldest;
  }
}
