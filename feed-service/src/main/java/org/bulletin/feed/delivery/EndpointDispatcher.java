package org.bulletin.feed.delivery;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs attempts with a queue per endpoint, so a slow or dead endpoint only ever holds its own
 * bounded share: at most {@code max.in.flight.per.endpoint} HTTP exchanges at once (one for
 * ordered endpoints), at most {@code max.pending.per.endpoint} waiting, and an optional rate limit.
 * An unordered endpoint's slot is free again once its answer came, while the outcome is still being
 * recorded (the task counts as done only once that is durable); an ordered endpoint's slot is held
 * until then, and through an in-place retry, so nothing overtakes it.
 *
 * <p>Beyond the pending bound an unordered endpoint's tasks are deferred to a retry tier. An
 * ordered endpoint's tasks cannot be deferred without reordering them, so its queue instead
 * holds the partition it is fed from ({@link #saturatedPartitions()}): the worker pauses it until
 * the queue has drained to half, and the endpoint's order is kept. Other endpoints of that
 * partition wait meanwhile; they are delayed, never reordered or lost.
 *
 * <p>One dispatcher is one shard of {@link DeliveryShards}: it sees only the endpoints that hash
 * to it, and other shards run at the same time on other event loops. Every method runs on the
 * dispatcher's context thread, except {@link #dropQueued}, {@link #dropLater} and
 * {@link #saturatedPartitions()}, which the worker's consumer thread calls, and
 * {@link #retriesInMemory()} and {@link #close()}, which any thread may call. Every callback it
 * registers (timers, outcomes, attempts) runs on its context.
 */
public final class EndpointDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointDispatcher.class);
  private static final long FIRST_RECORD_RETRY_MS = 1000;
  private static final long MAX_RECORD_RETRY_MS = 30_000;
  private static final long UNKNOWN_POLL_MS = 250;

  /** Makes one HTTP attempt; the future completes on {@code context}. */
  @FunctionalInterface
  public interface Attempter {
    Future<AttemptResult> attempt(Context context, DeliveryTask task, Endpoint endpoint);
  }

  private final Vertx vertx;
  private final Context context;
  private final EndpointDirectories directories;
  private final Attempter http;
  private final DeliveryOutcomes outcomes;
  private final DeliveryEngineSettings settings;
  private final Map<String, EndpointQueue> queues = new HashMap<>();
  /** Tasks not queued yet: waiting for their due time, or for their subscription to be read. */
  private final Set<Pending> held = new LinkedHashSet<>();
  /** Retries waiting in memory for their next attempt, of tasks not read from a retry tier. */
  private final AtomicInteger retriesInMemory = new AtomicInteger();
  private volatile Set<TopicPartition> saturated = Set.of();
  private volatile boolean closed;

  public EndpointDispatcher(Vertx vertx, Context context, EndpointDirectories directories, Attempter http,
      DeliveryOutcomes outcomes, DeliveryEngineSettings settings) {
    this.vertx = vertx;
    this.context = context;
    this.directories = directories;
    this.http = http;
    this.outcomes = outcomes;
    this.settings = settings;
  }

  public Context context() {
    return context;
  }

  /**
   * Takes a task read from partition {@code from}; {@code done} runs (on this context) once its
   * outcome is durable, and never for a task dropped by {@link #dropQueued}. A task due later (the
   * remainder of a retry's wait, below the shortest tier) waits here until it is due.
   */
  public void submit(DeliveryTask task, TopicPartition from, Runnable done) {
    Pending p = new Pending(task, from, done);
    long wait = task.due() - System.currentTimeMillis();
    if (wait > 0) {
      held.add(p);
      p.retryTimer = vertx.setTimer(wait, t -> {
        held.remove(p);
        admit(p, 0);
      });
    } else {
      admit(p, 0);
    }
  }

  /**
   * Retries this instance holds in memory between two attempts (ordered endpoints' retries, and
   * retries shorter than every tier) that were not read from a retry tier. Thread-safe.
   */
  public int retriesInMemory() {
    return retriesInMemory.get();
  }

  /**
   * Queues a due task at its endpoint. The only place that judges an unknown subscription: it may
   * have been created on another instance a moment ago and not be read here yet, so the task waits
   * for it up to {@code webhook.unknown.subscription.grace} without holding its partition; if it
   * never shows up it was deleted (or never existed), and the task ends as a skipped attempt and a
   * dead-letter record, never silently.
   *
   * @param since when this task started waiting for its subscription (0: not yet)
   */
  private void admit(Pending p, long since) {
    if (closed || p.dropped) {
      return;
    }
    if (directories.find(p.task.channel(), p.task.endpointId()).isPresent()) {
      held.remove(p);
      queues.computeIfAbsent(queueKey(p.task), k -> new EndpointQueue(p.task.channel(), p.task.endpointId())).offer(p);
      return;
    }
    long now = System.currentTimeMillis();
    long start = since == 0 ? now : since;
    long grace = settings.unknownEndpointGrace().toMillis();
    if (now - start < grace) {
      held.add(p);
      p.retryTimer = vertx.setTimer(Math.max(1, Math.min(UNKNOWN_POLL_MS, start + grace - now)),
          t -> admit(p, start));
      return;
    }
    held.remove(p);
    String what = directories.of(p.task.channel()).isPresent() ? "subscription " + p.task.endpointId()
        : "channel " + p.task.channel() + " of " + p.task.endpointId();
    outcomes.skipUnknown(p.task, what + " is unknown (deleted, or never created)")
        .onComplete(ar -> {
          if (ar.succeeded()) {
            p.done.run();
          } else if (!closed && !p.dropped) {
            LOG.warn("Could not dead-letter {} ({}); retrying", p.task.messageId(), ar.cause().getMessage());
            held.add(p);
            p.retryTimer = vertx.setTimer(1000, t -> admit(p, start));
          }
        });
  }

  /**
   * Drops the tasks of these partitions that have not started (queued, or waiting for an ordered
   * in-place retry): their partitions moved to another instance, which reads them again. Their
   * {@code done} never runs, so their offsets are not committed. Attempts under way finish.
   * Called from the worker's consumer thread (or this context); waits for this context.
   *
   * @return how many tasks were dropped, or -1 when the dispatcher did not answer in time
   */
  public int dropQueued(Collection<TopicPartition> partitions) {
    Set<TopicPartition> set = Set.copyOf(partitions);
    if (Vertx.currentContext() == context) {
      return dropOnContext(set);
    }
    CompletableFuture<Integer> dropped = dropLater(set);
    try {
      // Closed at shutdown, the context may already be gone: do not hold the shutdown up.
      return dropped.get(closed ? 1 : 10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("Dropping the queued tasks of {} did not finish: {}", partitions, e.toString());
      return -1;
    }
  }

  /**
   * Asks this dispatcher's context to drop the tasks of these partitions, as {@link #dropQueued}
   * does, without waiting: {@link DeliveryShards} asks every shard at once. Any thread; the
   * future completes on this context with how many were dropped.
   */
  CompletableFuture<Integer> dropLater(Set<TopicPartition> partitions) {
    CompletableFuture<Integer> dropped = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        dropped.complete(dropOnContext(partitions));
      } catch (RuntimeException e) {
        dropped.completeExceptionally(e);
      }
    });
    return dropped;
  }

  /**
   * Partitions feeding an ordered endpoint whose queue is full; the worker pauses them until they
   * leave this set. Thread-safe (an immutable snapshot).
   */
  public Set<TopicPartition> saturatedPartitions() {
    return saturated;
  }

  /** Stops starting attempts and retrying; unfinished tasks are read again after a restart. Any thread. */
  public void close() {
    closed = true;
  }

  private int dropOnContext(Set<TopicPartition> partitions) {
    int dropped = 0;
    for (Iterator<Pending> it = held.iterator(); it.hasNext();) {
      Pending p = it.next();
      if (partitions.contains(p.from)) {
        it.remove();
        p.dropped = true;
        vertx.cancelTimer(p.retryTimer);
        dropped++;
      }
    }
    // Which endpoints moved is not known here: every bucket starts empty again, so an endpoint
    // this instance gets back later is not granted the burst its bucket saved while another
    // instance was attempting it.
    boolean tasksMoved = partitions.stream().anyMatch(tp -> tp.topic().equals(settings.tasks().name()));
    for (EndpointQueue q : List.copyOf(queues.values())) {
      if (tasksMoved) {
        q.emptyBucket();
      }
      dropped += q.drop(partitions);
    }
    return dropped;
  }

  /** Read from a retry tier: the worker counts it among that tier's tasks already. */
  private boolean fromTier(Pending p) {
    return p.from != null && p.from.topic().startsWith(settings.retryTopicPrefix() + "-");
  }

  private void forgetInMemory(Pending p) {
    if (!fromTier(p)) {
      retriesInMemory.decrementAndGet();
    }
  }

  private void refreshSaturation() {
    Set<TopicPartition> now = new HashSet<>();
    for (EndpointQueue q : queues.values()) {
      if (q.holding != null) {
        now.add(q.holding);
      }
    }
    if (!now.equals(saturated)) {
      saturated = Set.copyOf(now);
    }
  }

  /** A task on its way; {@code task} moves on to the next attempt for in-place retries. */
  private static final class Pending {
    DeliveryTask task;
    final TopicPartition from;
    final Runnable done;
    long retryTimer = -1;
    boolean dropped;
    /** Counted in its endpoint's in-flight attempts. */
    boolean holdsSlot;

    Pending(DeliveryTask task, TopicPartition from, Runnable done) {
      this.task = task;
      this.from = from;
      this.done = done;
    }
  }

  private static String queueKey(DeliveryTask task) {
    return task.channel() + '\u0000' + task.endpointId();
  }

  private final class EndpointQueue {
    private final String channel;
    private final String id;
    private final Deque<Pending> pending = new ArrayDeque<>();
    /** Ordered endpoints' tasks between two attempts of an in-place retry. */
    private final Set<Pending> waiting = new LinkedHashSet<>();
    private int inFlight;
    // Starts empty: a restarted instance, or the new owner of a moved partition, grants no burst.
    private double tokens;
    private long refilledAt = System.nanoTime();
    private boolean timerSet;
    /** The partition this (ordered) queue holds back because it is full, or {@code null}. */
    TopicPartition holding;

    EndpointQueue(String channel, String id) {
      this.channel = channel;
      this.id = id;
    }

    private Endpoint endpoint() {
      return directories.find(channel, id).orElse(null);
    }

    void offer(Pending p) {
      Endpoint s = endpoint();
      if (s != null && !s.ordered() && pending.size() >= settings.maxPendingPerEndpoint()) {
        outcomes.defer(p.task).onComplete(ar -> finish(p, ar.failed() ? ar.cause() : null));
        return;
      }
      pending.add(p);
      if (s != null && s.ordered() && holding == null && p.from != null
          && pending.size() >= settings.maxPendingPerEndpoint()) {
        holding = p.from;
        refreshSaturation();
      }
      pump();
    }

    void pump() {
      Endpoint s = endpoint();
      while (!pending.isEmpty()) {
        if (s == null) {
          // Deleted while its tasks waited here: each ends as a skipped attempt and a dead letter.
          Pending p = pending.poll();
          outcomes.skip(p.task, "subscription " + id + " was deleted before this task was delivered")
              .onComplete(ar -> finish(p, ar.failed() ? ar.cause() : null));
          continue;
        }
        if (!s.enabled()) {
          Pending p = pending.poll();
          outcomes.skip(p.task, "endpoint disabled: " + s.disabledReason())
              .onComplete(ar -> finish(p, ar.failed() ? ar.cause() : null));
          continue;
        }
        if (inFlight >= (s.ordered() ? 1 : settings.maxInFlightPerEndpoint())) {
          break;
        }
        if (s.rateLimit() > 0 && !takeToken(s.rateLimit())) {
          if (!timerSet) {
            timerSet = true;
            vertx.setTimer(Math.max(1, 1000 / s.rateLimit()), t -> {
              timerSet = false;
              pump();
            });
          }
          break;
        }
        Pending p = pending.poll();
        inFlight++;
        p.holdsSlot = true;
        run(p);
      }
      release();
    }

    /** Lets go of a held partition once half the queue drained; forgets an idle deleted endpoint. */
    private void release() {
      if (holding != null && pending.size() <= settings.maxPendingPerEndpoint() / 2) {
        holding = null;
        refreshSaturation();
      }
      if (pending.isEmpty() && waiting.isEmpty() && inFlight == 0 && endpoint() == null) {
        queues.remove(channel + '\u0000' + id);
      }
    }

    int drop(Set<TopicPartition> partitions) {
      int dropped = 0;
      for (Iterator<Pending> it = pending.iterator(); it.hasNext();) {
        if (partitions.contains(it.next().from)) {
          it.remove();
          dropped++;
        }
      }
      for (Iterator<Pending> it = waiting.iterator(); it.hasNext();) {
        Pending p = it.next();
        if (partitions.contains(p.from)) {
          it.remove();
          forgetInMemory(p);
          vertx.cancelTimer(p.retryTimer);
          freeSlot(p);
          dropped++;
        }
      }
      if (holding != null && partitions.contains(holding)) {
        holding = null;
        refreshSaturation();
      }
      if (dropped > 0) {
        pump();
      }
      return dropped;
    }

    private void run(Pending p) {
      if (closed) {
        return; // never acknowledged: the task is read again by whoever owns it next
      }
      Endpoint s = endpoint();
      if (s == null || !s.enabled()) {
        freeSlot(p);
        pending.addFirst(p);
        pump();
        return;
      }
      DeliveryTask task = p.task;
      resolve(task).onComplete(resolved -> onContext(() -> {
        if (closed) {
          return; // never acknowledged: read again by whoever owns it next
        }
        if (resolved.failed()) {
          if (!s.ordered() && freeSlot(p)) {
            pump(); // nothing was sent: the slot is free as after an answer
          }
          Throwable e = resolved.cause();
          if (e instanceof PayloadGoneException) {
            settle(p, task, () -> outcomes.skip(task, e.getMessage()).map(Optional.empty()), FIRST_RECORD_RETRY_MS);
          } else {
            AttemptResult result = new AttemptResult(Instant.now(), null, 0, null,
                "the payload could not be resolved: " + e.getMessage(), null, false);
            settle(p, task, () -> outcomes.unresolved(task, s, result), FIRST_RECORD_RETRY_MS);
          }
          return;
        }
        // The resolved task (its body) is sent and signed; outcomes keep the task as queued, so a
        // retry resolves again.
        http.attempt(context, resolved.result(), s).onComplete(ar -> {
          AttemptResult result = ar.succeeded() ? ar.result()
              : new AttemptResult(Instant.now(), null, 0, null, "attempt failed: " + ar.cause(), null, false);
          if (!s.ordered() && freeSlot(p)) {
            // The exchange is over: the endpoint's next attempt need not wait for this outcome's
            // record (the task still counts as done only once it is durable). An ordered endpoint
            // keeps its one slot until then, so nothing overtakes a retry.
            pump();
          }
          settle(p, task, () -> outcomes.handle(task, s, result), FIRST_RECORD_RETRY_MS);
        });
      }));
    }

    private Future<DeliveryTask> resolve(DeliveryTask task) {
      Optional<EndpointDirectory> directory = directories.of(task.channel());
      if (directory.isEmpty()) {
        return Future.succeededFuture(task);
      }
      try {
        Future<DeliveryTask> f = directory.get().resolve(task);
        return f == null ? Future.failedFuture(new IllegalStateException("no payload")) : f;
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }

    /** Runs on this dispatcher's context (a resolved payload may come back on another thread). */
    private void onContext(Runnable r) {
      if (Vertx.currentContext() == context) {
        r.run();
      } else {
        context.runOnContext(v -> r.run());
      }
    }

    /**
     * Makes the outcome of an attempt durable. If that fails (Kafka unreachable), only the
     * writing is retried, with backoff: the endpoint already answered, so it is never POSTed
     * again for this attempt.
     */
    private void settle(Pending p, DeliveryTask task, Supplier<Future<Optional<Instant>>> outcome, long backoff) {
      outcome.get().onComplete(ar -> {
        if (closed && (ar.failed() || ar.result().isPresent())) {
          return; // nothing more starts; the task is read again after the restart
        }
        if (ar.failed()) {
          LOG.warn("Recording the outcome of {} attempt {} failed ({}); retrying the record in {} ms",
              task.messageId(), task.attempt(), ar.cause().getMessage(), backoff);
          vertx.setTimer(backoff, t -> settle(p, task, outcome, Math.min(MAX_RECORD_RETRY_MS, backoff * 2)));
        } else if (ar.result().isPresent()) {
          Instant next = ar.result().get();
          p.task = task.nextAttempt(next.toEpochMilli());
          waiting.add(p);
          if (!fromTier(p)) {
            retriesInMemory.incrementAndGet();
          }
          long wait = Math.max(1, Duration.between(Instant.now(), next).toMillis());
          p.retryTimer = vertx.setTimer(wait, t -> {
            if (waiting.remove(p)) {
              forgetInMemory(p);
              if (p.holdsSlot) {
                run(p); // ordered: it kept its slot
              } else {
                pending.addFirst(p); // takes a slot like any attempt
                pump();
              }
            }
          });
        } else {
          freeSlot(p);
          p.done.run();
          pump();
        }
      });
    }

    /** Gives the task's in-flight slot back, if it holds one; true if it did. */
    private boolean freeSlot(Pending p) {
      if (!p.holdsSlot) {
        return false;
      }
      p.holdsSlot = false;
      inFlight--;
      return true;
    }

    private void finish(Pending p, Throwable error) {
      if (error != null) {
        if (closed) {
          return; // read again after the restart
        }
        LOG.warn("Could not park {} ({}); retrying", p.task.messageId(), error.getMessage());
        vertx.setTimer(1000, t -> offer(p));
        return;
      }
      p.done.run();
    }

    /** Starts the rate limit over with no token saved, as a new queue does. */
    void emptyBucket() {
      tokens = 0;
      refilledAt = System.nanoTime();
    }

    private boolean takeToken(int perSecond) {
      long now = System.nanoTime();
      tokens = Math.min(perSecond, tokens + (now - refilledAt) / 1e9 * perSecond);
      refilledAt = now;
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }
  }
}
