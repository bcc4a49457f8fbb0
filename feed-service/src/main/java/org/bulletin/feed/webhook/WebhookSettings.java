package org.bulletin.feed.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bulletin.feed.delivery.DeliveryEngineSettings;
import org.bulletin.feed.delivery.Durations;
import org.bulletin.feed.delivery.RetrySchedule;
import org.bulletin.feed.secrets.SecretKeys;
import org.bulletin.platform.auth.AuthSettings;
import org.bulletin.platform.config.Config;
import org.bulletin.platform.config.ConfigException;
import org.bulletin.platform.config.TopicSettings;

/**
 * Webhook settings, parsed once at start.
 *
 * @param timeout one deadline for a whole attempt: DNS, connect, TLS, headers and body
 * @param responseMaxBytes how much of a response body is read (and kept as the snippet) before
 *     the connection is closed; a longer body fails the attempt
 * @param retryTopicPrefix retry tier topics are this plus the tier's delay, e.g. {@code …retry-5m}
 * @param disableAfter how long an endpoint may fail continuously before it is disabled
 * @param secretGrace how long a rotated secret keeps signing beside the new one
 * @param attemptSnippetBytes response snippets and errors the attempt log keeps are cut to this (UTF-8)
 * @param attemptLogBytes the attempt log's memory (estimated); the oldest attempts go first
 * @param fanOutDedupeReports reports whose last event id the fan-out remembers, to skip a repeat of it
 * @param fanOutMaxUnacknowledged delivery tasks the fan-out has sent and Kafka not acknowledged yet,
 *     beyond which it waits for Kafka before reading more events
 * @param groupPrefix consumer groups are this plus -fanout and -delivery
 * @param taskMaxBytes a delivery task record larger than this is dead-lettered, not delivered
 * @param engine the delivery engine's own settings (in-flight bound, unknown-endpoint grace, DNS pool)
 * @param replayThreads threads reading the reports topic back for replays
 * @param replayQueue replays waiting for a thread; beyond, a replay request is answered 503
 * @param apiBodyLimitBytes largest request body of the {@code /v1/} API; larger ones get 413
 * @param auth credentials of the API (admin tokens, the credentials topic, rate limits); null when
 *     no admin token is configured (then the webhook API is off)
 * @param audit the topic every admin and partner action is appended to
 * @param auditScanLimit most audit records one {@code GET /v1/audit} reads
 * @param secretKeys keys sealing signing secrets at rest (may be empty here; the service refuses to start then)
 * @param maxSubscriptionsPerPartner most subscriptions one partner may own; beyond, creating one is a 409
 */
public record WebhookSettings(
    boolean enabled,
    List<String> apiTokens,
    boolean allowHttp,
    List<String> allowlist,
    Duration timeout,
    int responseMaxBytes,
    RetrySchedule schedule,
    Duration maxRetryAfter,
    int maxInFlightPerEndpoint,
    int maxPendingPerEndpoint,
    Duration disableAfter,
    Duration secretGrace,
    int attemptsKeptPerEndpoint,
    int attemptSnippetBytes,
    long attemptLogBytes,
    int fanOutDedupeReports,
    int fanOutMaxUnacknowledged,
    TopicSettings subscriptions,
    TopicSettings tasks,
    String retryTopicPrefix,
    TopicSettings deadLetter,
    TopicSettings attempts,
    int partitions,
    short replicationFactor,
    String groupPrefix,
    int taskMaxBytes,
    DeliveryEngineSettings engine,
    int replayThreads,
    int replayQueue,
    int apiBodyLimitBytes,
    AuthSettings auth,
    TopicSettings audit,
    int auditScanLimit,
    SecretKeys secretKeys,
    int maxSubscriptionsPerPartner) {

  public static WebhookSettings from(Config config) {
    try {
      int partitions = config.integer("topics.partitions", 1, 1000);
      short rf = (short) config.integer("topics.replication.factor", 1, 32);
      Map<String, String> week = Map.of("cleanup.policy", "delete", "retention.ms", String.valueOf(7L * 86_400_000));
      return new WebhookSettings(
          Boolean.parseBoolean(config.string("webhook.enabled")),
          config.list("api.tokens"),
          Boolean.parseBoolean(config.string("webhook.allow.http")),
          config.list("webhook.allowlist"),
          Durations.parse(config.string("webhook.timeout")),
          config.integer("webhook.response.max.bytes", 256, 1 << 20),
          RetrySchedule.parse(config.string("webhook.retry.schedule"),
              Double.parseDouble(config.string("webhook.retry.jitter"))),
          Durations.parse(config.string("webhook.retry.after.max")),
          config.integer("webhook.max.in.flight.per.endpoint", 1, 1000),
          config.integer("webhook.max.pending.per.endpoint", 1, 1_000_000),
          Durations.parse(config.string("webhook.disable.after")),
          Durations.parse(config.string("webhook.secret.grace")),
          config.integer("webhook.attempts.kept.per.endpoint", 10, 1_000_000),
          config.integer("webhook.attempt.snippet.bytes", 0, 1_048_576),
          config.longValue("webhook.attempt.log.bytes", 65_536, Long.MAX_VALUE),
          config.integer("webhook.fanout.dedupe.reports", 0, 10_000_000),
          config.integer("webhook.fanout.max.unacknowledged", 1, 10_000_000),
          new TopicSettings(config.string("topics.subscriptions"), partitions, rf, subscriptionTopicConfigs(config)),
          new TopicSettings(config.string("topics.deliveries"), partitions, rf, week),
          config.string("topics.deliveries.retry.prefix"),
          new TopicSettings(config.string("topics.deliveries.dlq"), partitions, rf,
              Map.of("cleanup.policy", "delete", "retention.ms", String.valueOf(30L * 86_400_000))),
          new TopicSettings(config.string("topics.delivery.attempts"), partitions, rf,
              Map.of("cleanup.policy", "delete", "retention.ms", String.valueOf(30L * 86_400_000))),
          partitions, rf,
          config.string("webhook.group.prefix"),
          config.integer("webhook.task.max.bytes", 1024, 100 * 1024 * 1024),
          DeliveryEngineSettings.from(config),
          config.integer("webhook.replay.threads", 1, 64),
          config.integer("webhook.replay.queue", 1, 10_000),
          config.integer("webhook.api.body.limit.bytes", 1024, 16 * 1024 * 1024),
          config.list("api.tokens").isEmpty() ? null : AuthSettings.from(config),
          new TopicSettings(config.string("topics.audit"), partitions, rf, Map.of("cleanup.policy", "delete",
              "retention.ms", String.valueOf(config.integer("audit.retention.days", 1, 36_500) * 86_400_000L))),
          config.integer("audit.read.max.records", 100, 10_000_000),
          SecretKeys.from(config),
          config.integer("webhook.partner.max.subscriptions", 1, 1_000_000));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("webhook settings: " + e.getMessage(), e);
    }
  }

  /**
   * Compacted, with a bound on how long a superseded record (say, a secret stored in clear before
   * sealing) may stay: compaction only cleans closed segments, so segments roll at least that often.
   */
  private static Map<String, String> subscriptionTopicConfigs(Config config) {
    Duration lag = Durations.parse(config.string("topics.subscriptions.max.compaction.lag"));
    Duration segment = Durations.parse(config.string("topics.subscriptions.segment"));
    if (segment.compareTo(lag) > 0 || segment.toMillis() < 60_000) {
      throw new IllegalArgumentException("topics.subscriptions.segment (" + config.string("topics.subscriptions.segment")
          + ") must be at least 1m and at most topics.subscriptions.max.compaction.lag ("
          + config.string("topics.subscriptions.max.compaction.lag") + ")");
    }
    return Map.of("cleanup.policy", "compact", "max.compaction.lag.ms", String.valueOf(lag.toMillis()),
        "segment.ms", String.valueOf(segment.toMillis()));
  }

  public String retryTopic(Duration tier) {
    return retryTopicPrefix + "-" + Durations.format(tier);
  }

  /** Every topic the delivery engine needs, retry tiers included. */
  public List<TopicSettings> topics() {
    List<TopicSettings> out = new java.util.ArrayList<>(List.of(subscriptions, tasks, deadLetter, attempts, audit));
    if (auth != null) {
      out.add(auth.credentials());
    }
    for (Duration tier : schedule.tiers()) {
      out.add(new TopicSettings(retryTopic(tier), partitions, replicationFactor, tasks.configs()));
    }
    return out;
  }
}
