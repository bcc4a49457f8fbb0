package org.bulletin.feed.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bulletin.platform.config.Config;
import org.bulletin.platform.config.ConfigException;
import org.bulletin.platform.config.TopicSettings;

/**
 * Settings of the delivery engine itself, for every channel, parsed once at start. The keys keep
 * their {@code webhook.*} names from before the engine served other channels.
 *
 * @param timeout one deadline for a whole attempt: DNS, connect, TLS, headers and body
 * @param responseMaxBytes how much of a response body is read (and kept as the snippet)
 * @param disableAfter how long an endpoint may fail continuously before it is disabled
 * @param maxInFlight tasks read and not yet finished on one instance; beyond it the worker stops
 *     fetching until half of them are done
 * @param unknownEndpointGrace how long a task for an endpoint this instance does not know waits for
 *     it to be read (created a moment ago elsewhere) before it is skipped and dead-lettered
 * @param dnsThreads threads resolving endpoint host names (blocking lookups)
 * @param dnsQueue lookups waiting for a DNS thread; beyond, an attempt fails and is retried
 * @param groupPrefix the worker's consumer group is this plus {@code -delivery}
 * @param taskMaxBytes a task record larger than this is dead-lettered, not delivered
 * @param dispatcherShards dispatcher shards, each on an event loop of its own; an endpoint always
 *     goes to the same one
 * @param attemptBatchMaxCount attempts at most in one record of the attempts topic
 * @param attemptBatchMaxBytes JSON bytes at most in one record of the attempts topic (one larger
 *     attempt goes alone)
 * @param failingEndpointsMax endpoints the "failing since" clock keeps at most
 */
public record DeliveryEngineSettings(
    boolean allowHttp,
    List<String> allowlist,
    Duration timeout,
    int responseMaxBytes,
    RetrySchedule schedule,
    Duration maxRetryAfter,
    int maxInFlightPerEndpoint,
    int maxPendingPerEndpoint,
    Duration disableAfter,
    TopicSettings tasks,
    String retryTopicPrefix,
    TopicSettings deadLetter,
    TopicSettings attempts,
    int partitions,
    short replicationFactor,
    String groupPrefix,
    int taskMaxBytes,
    int maxInFlight,
    Duration unknownEndpointGrace,
    int dnsThreads,
    int dnsQueue,
    int dispatcherShards,
    int attemptBatchMaxCount,
    int attemptBatchMaxBytes,
    int failingEndpointsMax) {

  public static DeliveryEngineSettings from(Config config) {
    try {
      int partitions = config.integer("topics.partitions", 1, 1000);
      short rf = (short) config.integer("topics.replication.factor", 1, 32);
      Map<String, String> week = Map.of("cleanup.policy", "delete", "retention.ms", String.valueOf(7L * 86_400_000));
      Map<String, String> month = Map.of("cleanup.policy", "delete", "retention.ms", String.valueOf(30L * 86_400_000));
      return new DeliveryEngineSettings(
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
          new TopicSettings(config.string("topics.deliveries"), partitions, rf, week),
          config.string("topics.deliveries.retry.prefix"),
          new TopicSettings(config.string("topics.deliveries.dlq"), partitions, rf, month),
          new TopicSettings(config.string("topics.delivery.attempts"), partitions, rf, month),
          partitions, rf,
          config.string("webhook.group.prefix"),
          config.integer("webhook.task.max.bytes", 1024, 100 * 1024 * 1024),
          config.integer("webhook.delivery.max.in.flight", 2, 10_000_000),
          Durations.parse(config.string("webhook.unknown.subscription.grace")),
          config.integer("webhook.dns.threads", 1, 256),
          config.integer("webhook.dns.queue", 1, 1_000_000),
          shards(config.string("webhook.dispatcher.shards")),
          config.integer("webhook.attempts.batch.max.count", 1, 100_000),
          config.integer("webhook.attempts.batch.max.bytes", 1024, 900 * 1024),
          config.integer("webhook.failing.endpoints.max", 100, 10_000_000));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("delivery settings: " + e.getMessage(), e);
    }
  }

  /** {@code auto}: one per core; otherwise a count from 1 to 256. */
  private static int shards(String value) {
    if (value.equals("auto")) {
      return Math.max(1, Runtime.getRuntime().availableProcessors());
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 1 && n <= 256) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("webhook.dispatcher.shards must be auto or a number from 1 to 256, not " + value);
  }

  public String retryTopic(Duration tier) {
    return retryTopicPrefix + "-" + Durations.format(tier);
  }

  /** The engine's topics: tasks, every retry tier, dead letters, attempts. */
  public List<TopicSettings> topics() {
    List<TopicSettings> out = new ArrayList<>(List.of(tasks, deadLetter, attempts));
    for (Duration tier : schedule.tiers()) {
      out.add(new TopicSettings(retryTopic(tier), partitions, replicationFactor, tasks.configs()));
    }
    return out;
  }
}
