package org.bulletin.feed.websub;

import java.time.Duration;
import java.util.Map;
import org.bulletin.feed.delivery.Durations;
import org.bulletin.platform.config.Config;
import org.bulletin.platform.config.ConfigException;
import org.bulletin.platform.config.TopicSettings;

/**
 * The WebSub hub's settings, parsed once at start.
 *
 * @param enabled whether the hub is mounted and advertised: {@code websub.enabled}, and an admin token
 *     exists (the hub uses the webhooks' URL guard settings, secret keys, admin tokens and delivery
 *     engine; {@code websub.enabled} with {@code webhook.enabled=false} is a configuration error)
 * @param leases the lease a subscriber gets: default, minimum and maximum, in seconds
 * @param maxPending verifications of intent in flight on this instance; beyond, requests get 503
 * @param maxSubscriptions subscriptions the hub keeps in all; beyond, a new one gets 429
 * @param verifyTimeout one deadline for a whole verification GET (DNS, connect, TLS, response)
 * @param verifyMaxBytes most bytes of a verification response read; a longer body fails verification
 * @param bodyLimitBytes largest subscription request body; larger ones get 413
 * @param sweepInterval how often expired subscriptions are looked for and removed (by the distributor)
 * @param expiryGrace how long past its lease a subscription is kept before the sweep removes it, so
 *     a renewal verified on another instance and not read here yet is not swept
 * @param verifyPerHostPerMinute verification (and denial) GETs per callback host and minute; beyond,
 *     requests get 429; 0 for no limit
 * @param verifyHostsMax callback hosts counted per minute; requests for further hosts get 429
 * @param subscriptions the compacted topic holding every subscription
 * @param distribution the compacted single-partition topic whose consumer-group owner distributes
 *     changes, holding the ETag last distributed per topic URL
 * @param group the consumer group electing the distributor
 * @param distributing bounds and failure handling of the distributor's pipeline
 */
public record WebSubSettings(
    boolean enabled,
    Leases leases,
    int maxPending,
    int maxSubscriptions,
    Duration verifyTimeout,
    int verifyMaxBytes,
    int bodyLimitBytes,
    Duration sweepInterval,
    Duration expiryGrace,
    int verifyPerHostPerMinute,
    int verifyHostsMax,
    TopicSettings subscriptions,
    TopicSettings distribution,
    String group,
    Distributing distributing) {

  /**
   * @param maxInFlight document changes handed to the delivery engine at once ({@code websub.distribution.max.in.flight})
   * @param retryMax the longest wait before a failed hand-over is tried again ({@code websub.distribution.retry.max})
   * @param downAfter how long distribution may fail before readiness turns DOWN ({@code websub.distribution.down.after})
   */
  public record Distributing(int maxInFlight, Duration retryMax, Duration downAfter) {}

  /**
   * @throws ConfigException when the hub is on and the webhooks are off: the hub delivers through
   *     the webhooks' delivery engine, so it would accept subscriptions and never deliver
   */
  public static WebSubSettings from(Config config) {
    boolean hub = Boolean.parseBoolean(config.string("websub.enabled"));
    if (hub && !Boolean.parseBoolean(config.string("webhook.enabled"))) {
      throw new ConfigException("websub.enabled (" + Config.envName("websub.enabled")
          + ") is true but webhook.enabled (" + Config.envName("webhook.enabled") + ") is false: the WebSub hub"
          + " delivers through the webhooks' delivery engine and would never deliver. Turn the webhooks on, or set"
          + " websub.enabled=false as well");
    }
    try {
      int partitions = config.integer("topics.partitions", 1, 1000);
      short rf = (short) config.integer("topics.replication.factor", 1, 32);
      // Compacted like the webhook subscriptions topic, with the same bound on how long a
      // superseded record (a sealed secret replaced by a re-subscription) may stay.
      Map<String, String> compacted = Map.of("cleanup.policy", "compact",
          "max.compaction.lag.ms", String.valueOf(Durations.parse(config.string("topics.subscriptions.max.compaction.lag")).toMillis()),
          "segment.ms", String.valueOf(Durations.parse(config.string("topics.subscriptions.segment")).toMillis()));
      return new WebSubSettings(
          // The hub needs the webhooks' admin tokens: without any, both are off (FeedVerticle logs it).
          hub && !config.list("api.tokens").isEmpty(),
          new Leases(config.longValue("websub.lease.default.seconds", 1, 365L * 86_400),
              config.longValue("websub.lease.min.seconds", 1, 365L * 86_400),
              config.longValue("websub.lease.max.seconds", 1, 365L * 86_400)),
          config.integer("websub.verify.pending.max", 1, 1_000_000),
          config.integer("websub.subscriptions.max", 1, 10_000_000),
          Durations.parse(config.string("websub.verify.timeout")),
          config.integer("websub.verify.response.max.bytes", 64, 1 << 20),
          config.integer("websub.request.body.limit.bytes", 1024, 1 << 20),
          Durations.parse(config.string("websub.expiry.sweep.interval")),
          Durations.parse(config.string("websub.expiry.grace")),
          config.integer("websub.verify.per.host.per.minute", 0, 1_000_000),
          config.integer("websub.verify.hosts.max", 1, 10_000_000),
          new TopicSettings(config.string("topics.websub.subscriptions"), partitions, rf, compacted),
          // One partition: its owner in the group is the one distributor.
          new TopicSettings(config.string("topics.websub.distribution"), 1, rf, compacted),
          config.string("webhook.group.prefix") + "-websub-distributor",
          new Distributing(config.integer("websub.distribution.max.in.flight", 1, 1000),
              Durations.parse(config.string("websub.distribution.retry.max")),
              Durations.parse(config.string("websub.distribution.down.after"))));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("websub settings: " + e.getMessage(), e);
    }
  }
}
