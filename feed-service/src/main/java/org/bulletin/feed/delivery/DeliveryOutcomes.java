package org.bulletin.feed.delivery;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.bulletin.feed.metrics.FeedMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what follows an attempt and makes it durable before the task counts as done: the
 * attempt record, then a retry in its tier, the dead-letter record, or the endpoint's disabling.
 *
 * <p>Thread-safe: every dispatcher shard calls it at once, each for its own endpoints, so one
 * endpoint's outcomes come from one thread, in order; {@link #reset} comes from the API or a
 * tailer. The futures complete on the caller's context (the producer's and directories' do).
 */
public final class DeliveryOutcomes {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryOutcomes.class);

  private final RecordSender producer;
  private final AttemptWriter attempts;
  private final FailingClock clock;
  private final DeliveryEngineSettings settings;
  private final EndpointDirectories directories;
  private final FeedMetrics metrics;
  private static final Duration HOP_SLACK = Duration.ofSeconds(1);
  private static final Optional<Instant> NOT_AGAIN = Optional.empty();

  /** With a writer of its own and a clock of its own (one instance alone; tests). */
  public DeliveryOutcomes(RecordSender producer, DeliveryEngineSettings settings, EndpointDirectories directories,
      FeedMetrics metrics) {
    this(producer, new AttemptWriter(producer, settings.attempts().name(), settings.attemptBatchMaxCount(),
        settings.attemptBatchMaxBytes(), settings.maxInFlight()), new FailingClock(settings.failingEndpointsMax()),
        settings, directories, metrics);
  }

  /**
   * @param attempts writes the attempt records (in batches)
   * @param clock since when each endpoint has been failing, across instances and restarts; this
   *     instance's own attempts are folded in here, others' by whoever tails the attempts topic
   */
  public DeliveryOutcomes(RecordSender producer, AttemptWriter attempts, FailingClock clock,
      DeliveryEngineSettings settings, EndpointDirectories directories, FeedMetrics metrics) {
    this.producer = producer;
    this.attempts = attempts;
    this.clock = clock;
    this.settings = settings;
    this.directories = directories;
    this.metrics = metrics;
  }

  /**
   * Records the attempt and schedules what follows. For ordered endpoints a retry is not written
   * to a tier (that would reorder): the result then holds when the caller must retry in place.
   *
   * @param s the endpoint as it was when the attempt was made (its URL is the one tried)
   * @return empty when the task is finished, or the time of an in-place retry
   */
  public Future<Optional<Instant>> handle(DeliveryTask task, Endpoint s, AttemptResult result) {
    if (task.attempt() == 1 && task.createdAt() != null) {
      metrics.deliveryLatency(Duration.between(task.createdAt(), result.at()));
    }
    String urlHash = UrlHash.of(s.url());
    if (result.succeeded()) {
      clock.cleared(task.channel(), s.id(), urlHash, result.at());
      return record(task, result, "delivered", null, urlHash).map(NOT_AGAIN);
    }
    // A failure at a URL the endpoint no longer has says nothing about the new one.
    boolean urlChanged = directories.find(task.channel(), s.id()).map(latest -> !latest.url().equals(s.url()))
        .orElse(false);
    if (result.gone() && !urlChanged) {
      clock.cleared(task.channel(), s.id(), urlHash, result.at());
      return record(task, result, "disabled", null, urlHash)
          .compose(v -> gone(task.channel(), s))
          .map(NOT_AGAIN);
    }
    if (result.refused() && !urlChanged) {
      // This server's settings refuse the URL (http turned off, an address no longer allowed): every
      // later attempt would fail alike, so the endpoint is shown disabled, saying what to change.
      String reason = "URL refused: " + result.error() + ". Change that setting or the subscription's URL, then "
          + directory(task.channel()).howToReenable(s.id());
      clock.cleared(task.channel(), s.id(), urlHash, result.at());
      return record(task, result, "disabled", null, urlHash)
          .compose(v -> disable(task.channel(), s, reason))
          .compose(v -> deadLetter(task, reason))
          .map(NOT_AGAIN);
    }
    // Since when, at this URL, by every instance's attempts (earlier runs' too).
    Instant since = urlChanged ? result.at() : clock.failed(task.channel(), s.id(), urlHash, result.at());
    if (!urlChanged && Duration.between(since, result.at()).compareTo(settings.disableAfter()) > 0) {
      // The clock stops only once the disabling is durable: if a write fails, the same outcome is
      // handled again and must reach the same decision.
      return record(task, result, "disabled", null, urlHash)
          .compose(v -> disable(task.channel(), s, "failing continuously since " + since))
          .compose(v -> deadLetter(task, "endpoint disabled after failing since " + since))
          .onSuccess(v -> clock.cleared(task.channel(), s.id(), urlHash, result.at()))
          .map(NOT_AGAIN);
    }
    return retryOrFail(task, s, result, urlHash);
  }

  /**
   * The task's payload could not be resolved just before the attempt ({@link EndpointDirectory#resolve}):
   * nothing was sent, so the endpoint is not counted as failing; the task is retried on the schedule
   * like a failed attempt (or fails once every attempt is used).
   */
  public Future<Optional<Instant>> unresolved(DeliveryTask task, Endpoint s, AttemptResult result) {
    return retryOrFail(task, s, result, null);
  }

  /** @param urlHash the URL tried, or {@code null} when no request was made */
  private Future<Optional<Instant>> retryOrFail(DeliveryTask task, Endpoint s, AttemptResult result,
      String urlHash) {
    if (result.refused() || task.attempt() >= settings.schedule().attempts()) {
      String reason = result.refused() ? "URL refused: " + result.error()
          : "all " + settings.schedule().attempts() + " attempts failed";
      return record(task, result, "failed", null, urlHash).compose(v -> deadLetter(task, reason)).map(NOT_AGAIN);
    }
    Duration delay = delay(task, result);
    // From when the answer came (a Retry-After counts from its response), not from the request.
    Instant failedAt = result.at().plusMillis(Math.max(0, result.latencyMs()));
    Instant due = failedAt.plus(delay).plus(settings.schedule().jitter(delay));
    // Measured from the failure, not from now: the few milliseconds spent since must not turn a
    // 5 s retry into an in-memory wait. Bounded, so that a late outcome does not hop too far.
    Instant now = Instant.now();
    Duration spent = Duration.between(failedAt, now);
    Duration slack = spent.isNegative() ? Duration.ZERO : spent.compareTo(HOP_SLACK) < 0 ? spent : HOP_SLACK;
    Optional<Duration> hop = settings.schedule().hop(Duration.between(now, due).plus(slack));
    if (s.ordered() || hop.isEmpty()) {
      // Ordered: a tier would reorder. Shorter than every tier: nothing to hop, the wait is short.
      return record(task, result, "retrying", due, urlHash).map(Optional.of(due));
    }
    return record(task, result, "retrying", due, urlHash)
        .compose(v -> park(task.nextAttempt(0, due.toEpochMilli()), hop.get()))
        .map(NOT_AGAIN);
  }

  /**
   * The wait before the next attempt, without jitter: the schedule's, or the endpoint's
   * {@code Retry-After} (capped by {@code webhook.retry.after.max}) when it asks for one.
   */
  public Duration delay(DeliveryTask task, AttemptResult result) {
    if (result.retryAfter() != null) {
      Duration asked = result.retryAfter().isZero() ? Duration.ofMillis(100) : result.retryAfter();
      return asked.compareTo(settings.maxRetryAfter()) <= 0 ? asked : settings.maxRetryAfter();
    }
    return settings.schedule().baseDelayBefore(task.attempt() + 1);
  }

  /**
   * The next hop of a task a retry tier released (its {@code notBefore} passed): the largest tier
   * not longer than what remains until it is due, or empty when that is shorter than every tier
   * (the dispatcher then waits the rest in memory).
   */
  public Optional<Duration> nextHop(DeliveryTask task, long now) {
    return settings.schedule().hop(Duration.ofMillis(task.due() - now));
  }

  /** Makes the next hop of a released task: written to {@code tier}, still due at the same time. */
  public Future<Void> hop(DeliveryTask task, Duration tier) {
    metrics.retryHop();
    return park(task, tier);
  }

  /** Writes a task to a tier: it is released exactly the tier's delay from now. */
  private Future<Void> park(DeliveryTask task, Duration tier) {
    return producer.send(settings.retryTopic(tier), task.endpointId(),
        DeliveryJson.write(task.hopped(System.currentTimeMillis() + tier.toMillis()))).mapEmpty();
  }

  /** Too much is waiting for this endpoint: park the task in the first tier, no attempt made. */
  public Future<Void> defer(DeliveryTask task) {
    Duration tier = settings.schedule().shortestTier();
    return park(task.deferred(System.currentTimeMillis() + tier.toMillis()), tier);
  }

  /** The task's endpoint is not known here (deleted, or never created): skipped, counted as poison. */
  public Future<Void> skipUnknown(DeliveryTask task, String reason) {
    metrics.poisonTask("unknown-subscription");
    return skip(task, reason);
  }

  /** The endpoint is gone or disabled: no attempt; the task goes to the dead-letter topic. */
  public Future<Void> skip(DeliveryTask task, String reason) {
    AttemptRecord attempt = new AttemptRecord(task.channel(), task.endpointId(), task.messageId(), task.labels(),
        task.attempt(), Instant.now(), null, 0, null, reason, "skipped", null,
        task.sourcePartition(), task.sourceOffset(), null);
    metrics.attempt(task.channel(), "skipped");
    return attempts.write(attempt).compose(m -> deadLetter(task, reason));
  }

  /** @param urlHash the URL tried ({@link UrlHash}), or {@code null} when no request was made */
  private Future<Void> record(DeliveryTask task, AttemptResult r, String outcome, Instant next, String urlHash) {
    metrics.attempt(task.channel(), outcome);
    AttemptRecord attempt = new AttemptRecord(task.channel(), task.endpointId(), task.messageId(), task.labels(),
        task.attempt(), r.at(), r.status(), r.latencyMs(), r.snippet(), r.error(), outcome, next,
        task.sourcePartition(), task.sourceOffset(), urlHash);
    return attempts.write(attempt);
  }

  private Future<Void> deadLetter(DeliveryTask task, String reason) {
    LOG.warn("Delivery {} to {}/{} dead-lettered: {}", task.messageId(), task.channel(), task.endpointId(), reason);
    Map<String, Object> record = Map.of("task", task, "reason", reason, "at", Instant.now().toString());
    return producer.send(settings.deadLetter().name(), task.endpointId(), DeliveryJson.write(record)).mapEmpty();
  }

  private Future<Void> disable(String channel, Endpoint s, String reason) {
    return directory(channel).disable(s.id(), s.url(), reason);
  }

  private Future<Void> gone(String channel, Endpoint s) {
    return directory(channel).gone(s.id(), s.url());
  }

  private EndpointDirectory directory(String channel) {
    return directories.of(channel)
        .orElseThrow(() -> new IllegalStateException("no endpoint directory for channel " + channel));
  }

  /** An endpoint was re-enabled by hand: it starts with a clean record. */
  public void reset(String channel, String endpointId) {
    clock.reset(channel, endpointId, Instant.now());
  }

  /** An endpoint was deleted. */
  public void forget(String channel, String endpointId) {
    clock.forget(channel, endpointId);
  }
}
