package org.bulletin.feed.delivery;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bulletin.feed.metrics.FeedMetrics;
import org.bulletin.feed.webhook.Subscription;
import org.bulletin.feed.webhook.SubscriptionService;
import org.bulletin.feed.webhook.WebhookSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what follows an attempt and makes it durable before the task counts as done: the
 * attempt record, then a retry in its tier, the dead-letter record, or the endpoint's disabling.
 */
public final class DeliveryOutcomes {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryOutcomes.class);

  private final RecordSender producer;
  private final WebhookSettings settings;
  private final SubscriptionService subscriptions;
  private final FeedMetrics metrics;
  private static final java.util.Optional<Instant> NOT_AGAIN = java.util.Optional.empty();
  private final Map<String, Failing> failing = new ConcurrentHashMap<>();

  /** An endpoint has failed at {@code url} continuously since {@code since}. */
  private record Failing(String url, Instant since) {}

  public DeliveryOutcomes(RecordSender producer, WebhookSettings settings, SubscriptionService subscriptions,
      FeedMetrics metrics) {
    this.producer = producer;
    this.settings = settings;
    this.subscriptions = subscriptions;
    this.metrics = metrics;
  }

  /**
   * Records the attempt and schedules what follows. For ordered endpoints a retry is not written
   * to a tier (that would reorder): the result then holds when the caller must retry in place.
   *
   * @param s the subscription as it was when the attempt was made (its URL is the one tried)
   * @return empty when the task is finished, or the time of an in-place retry
   */
  public Future<java.util.Optional<Instant>> handle(DeliveryTask task, Subscription s, AttemptResult result) {
    if (task.attempt() == 1) {
      metrics.deliveryLatency(Duration.between(task.eventTime(), result.at()));
    }
    if (result.succeeded()) {
      failing.remove(s.id());
      return record(task, result, "delivered", null).map(NOT_AGAIN);
    }
    // A failure at a URL the endpoint no longer has says nothing about the new one.
    boolean urlChanged = subscriptions.current(s.id()).map(latest -> !latest.url().equals(s.url())).orElse(false);
    if (result.gone() && !urlChanged) {
      return record(task, result, "disabled", null)
          .compose(v -> disable(s, "the endpoint answered 410 Gone"))
          .map(NOT_AGAIN);
    }
    if (result.refused() && !urlChanged) {
      // This server's settings refuse the URL (http turned off, an address no longer allowed): every
      // later attempt would fail alike, so the endpoint is shown disabled, saying what to change.
      String reason = "URL refused: " + result.error() + ". Change that setting or the subscription's URL, then"
          + " re-enable it (POST /v1/subscriptions/" + s.id() + "/enable)";
      return record(task, result, "disabled", null)
          .compose(v -> disable(s, reason))
          .compose(v -> deadLetter(task, reason))
          .map(NOT_AGAIN);
    }
    Failing f = failing.compute(s.id(),
        (k, old) -> old != null && old.url().equals(s.url()) ? old : new Failing(s.url(), result.at()));
    if (!urlChanged && Duration.between(f.since(), result.at()).compareTo(settings.disableAfter()) > 0) {
      return record(task, result, "disabled", null)
          .compose(v -> disable(s, "failing continuously since " + f.since()))
          .compose(v -> deadLetter(task, "endpoint disabled after failing since " + f.since()))
          .map(NOT_AGAIN);
    }
    if (result.refused() || task.attempt() >= settings.schedule().attempts()) {
      String reason = result.refused() ? "URL refused: " + result.error()
          : "all " + settings.schedule().attempts() + " attempts failed";
      return record(task, result, "failed", null).compose(v -> deadLetter(task, reason)).map(NOT_AGAIN);
    }
    Duration delay = delay(task, result);
    Instant next = result.at().plus(delay);
    if (s.ordered()) {
      return record(task, result, "retrying", next).map(java.util.Optional.of(next));
    }
    String tier = settings.retryTopic(settings.schedule().tierFor(honoursRetryAfter(result) ? delay
        : settings.schedule().baseDelayBefore(task.attempt() + 1)));
    return record(task, result, "retrying", next)
        .compose(v -> producer.send(tier, task.subscriptionId(),
            DeliveryJson.write(task.nextAttempt(next.toEpochMilli()))))
        .map(NOT_AGAIN);
  }

  /** The wait before the next attempt: Retry-After when the endpoint asks within bounds, else the schedule. */
  public Duration delay(DeliveryTask task, AttemptResult result) {
    if (honoursRetryAfter(result)) {
      return result.retryAfter().isZero() ? Duration.ofMillis(100) : result.retryAfter();
    }
    return settings.schedule().delayBefore(task.attempt() + 1);
  }

  private boolean honoursRetryAfter(AttemptResult result) {
    return result.retryAfter() != null && result.retryAfter().compareTo(settings.maxRetryAfter()) <= 0;
  }

  /** Too much is waiting for this endpoint: park the task in the first tier, no attempt made. */
  public Future<Void> defer(DeliveryTask task) {
    Duration tier = settings.schedule().tiers().isEmpty() ? Duration.ofSeconds(1) : settings.schedule().tiers().get(0);
    return producer.send(settings.retryTopic(tier), task.subscriptionId(),
        DeliveryJson.write(task.deferred(System.currentTimeMillis() + tier.toMillis()))).mapEmpty();
  }

  /** The endpoint is gone or disabled: no attempt; the task goes to the dead-letter topic. */
  public Future<Void> skip(DeliveryTask task, String reason) {
    Attempt attempt = new Attempt(task.webhookId(), task.subscriptionId(), task.eventId(), task.eventType(),
        task.reportId(), task.attempt(), Instant.now(), null, 0, null, reason, "skipped", null,
        task.sourcePartition(), task.sourceOffset());
    metrics.attempt("skipped");
    return producer.send(settings.attempts().name(), task.subscriptionId(), DeliveryJson.write(attempt))
        .compose(m -> deadLetter(task, reason));
  }

  private Future<Void> record(DeliveryTask task, AttemptResult r, String outcome, Instant next) {
    metrics.attempt(outcome);
    Attempt attempt = new Attempt(task.webhookId(), task.subscriptionId(), task.eventId(), task.eventType(),
        task.reportId(), task.attempt(), r.at(), r.status(), r.latencyMs(), r.snippet(), r.error(), outcome, next,
        task.sourcePartition(), task.sourceOffset());
    return producer.send(settings.attempts().name(), task.subscriptionId(), DeliveryJson.write(attempt)).mapEmpty();
  }

  private Future<Void> deadLetter(DeliveryTask task, String reason) {
    LOG.warn("Delivery {} to {} dead-lettered: {}", task.webhookId(), task.subscriptionId(), reason);
    Map<String, Object> record = Map.of("task", task, "reason", reason, "at", Instant.now().toString());
    return producer.send(settings.deadLetter().name(), task.subscriptionId(), DeliveryJson.write(record)).mapEmpty();
  }

  private Future<Void> disable(Subscription s, String reason) {
    failing.remove(s.id());
    return subscriptions.disableAfterFailures(s.id(), s.url(), reason).map(disabled -> {
      disabled.ifPresent(d -> LOG.warn("Disabled webhook endpoint {} ({}): {}", d.id(), d.url(), reason));
      return null;
    });
  }

  /** An endpoint was re-enabled by hand: it starts with a clean record. */
  public void reset(String subscriptionId) {
    failing.remove(subscriptionId);
  }
}
