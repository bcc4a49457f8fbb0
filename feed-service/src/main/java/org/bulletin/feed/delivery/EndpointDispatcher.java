package org.bulletin.feed.delivery;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.bulletin.feed.webhook.Subscription;
import org.bulletin.feed.webhook.SubscriptionStore;
import org.bulletin.feed.webhook.WebhookSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs attempts with a queue per endpoint, so a slow or dead endpoint only ever holds its own
 * bounded share: at most {@code max.in.flight.per.endpoint} attempts at once (one for ordered
 * endpoints), at most {@code max.pending.per.endpoint} waiting (beyond, tasks are deferred to a
 * retry tier), and an optional rate limit. Every method runs on the dispatcher's context thread.
 */
public final class EndpointDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointDispatcher.class);

  private final Vertx vertx;
  private final Context context;
  private final SubscriptionStore store;
  private final HttpDeliverer http;
  private final DeliveryOutcomes outcomes;
  private final WebhookSettings settings;
  private final Map<String, EndpointQueue> queues = new HashMap<>();
  private volatile boolean closed;

  public EndpointDispatcher(Vertx vertx, Context context, SubscriptionStore store, HttpDeliverer http,
      DeliveryOutcomes outcomes, WebhookSettings settings) {
    this.vertx = vertx;
    this.context = context;
    this.store = store;
    this.http = http;
    this.outcomes = outcomes;
    this.settings = settings;
  }

  public Context context() {
    return context;
  }

  /** Takes a task; {@code done} runs (on this context) once its outcome is durable. */
  public void submit(DeliveryTask task, Runnable done) {
    Subscription s = store.get(task.subscriptionId()).orElse(null);
    if (s == null) {
      done.run(); // deleted: nothing to deliver to
      return;
    }
    queues.computeIfAbsent(s.id(), EndpointQueue::new).offer(new Pending(task, done));
  }

  /** Stops starting attempts and retrying; unfinished tasks are read again after a restart. */
  public void close() {
    closed = true;
  }

  private record Pending(DeliveryTask task, Runnable done) {}

  private final class EndpointQueue {
    private final String id;
    private final Deque<Pending> pending = new ArrayDeque<>();
    private int inFlight;
    private double tokens;
    private long refilledAt = System.nanoTime();
    private boolean timerSet;

    EndpointQueue(String id) {
      this.id = id;
    }

    void offer(Pending p) {
      Subscription s = store.get(id).orElse(null);
      if (s != null && !s.ordered() && pending.size() >= settings.maxPendingPerEndpoint()) {
        outcomes.defer(p.task()).onComplete(ar -> finish(p, ar.failed() ? ar.cause() : null));
        return;
      }
      pending.add(p);
      pump();
    }

    void pump() {
      Subscription s = store.get(id).orElse(null);
      while (!pending.isEmpty()) {
        if (s == null) {
          pending.poll().done().run();
          continue;
        }
        if (!s.enabled()) {
          Pending p = pending.poll();
          outcomes.skip(p.task(), "endpoint disabled: " + s.disabledReason())
              .onComplete(ar -> finish(p, ar.failed() ? ar.cause() : null));
          continue;
        }
        if (inFlight >= (s.ordered() ? 1 : settings.maxInFlightPerEndpoint())) {
          return;
        }
        if (s.rateLimit() != null && !takeToken(s.rateLimit())) {
          if (!timerSet) {
            timerSet = true;
            vertx.setTimer(Math.max(1, 1000 / s.rateLimit()), t -> {
              timerSet = false;
              pump();
            });
          }
          return;
        }
        Pending p = pending.poll();
        inFlight++;
        run(p.task(), p);
      }
    }

    private void run(DeliveryTask task, Pending p) {
      if (closed) {
        return; // never acknowledged: the task is read again by whoever owns it next
      }
      Subscription s = store.get(id).orElse(null);
      if (s == null || !s.enabled()) {
        inFlight--;
        pending.addFirst(p);
        pump();
        return;
      }
      http.attempt(context, task, s.url(), s.activeSecrets(Instant.now()))
          .compose(result -> outcomes.handle(task, store.get(id).orElse(s), result))
          .onComplete(ar -> {
            if (ar.failed()) {
              // The attempt was made but its outcome is not durable: try the task again, same id.
              LOG.warn("Recording the outcome of {} failed ({}); retrying in 1 s", task.webhookId(), ar.cause().getMessage());
              vertx.setTimer(1000, t -> run(task, p));
            } else if (ar.result().isPresent()) {
              long wait = Math.max(1, Duration.between(Instant.now(), ar.result().get()).toMillis());
              vertx.setTimer(wait, t -> run(task.nextAttempt(ar.result().get().toEpochMilli()), p));
            } else {
              inFlight--;
              p.done().run();
              pump();
            }
          });
    }

    private void finish(Pending p, Throwable error) {
      if (closed) {
        return;
      }
      if (error != null) {
        LOG.warn("Could not park {} ({}); retrying", p.task().webhookId(), error.getMessage());
        vertx.setTimer(1000, t -> offer(p));
        return;
      }
      p.done().run();
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
