package org.bulletin.platform.config;

import java.util.HashMap;
import java.util.Map;

/**
 * Kafka connection and topic layout, shared by every service.
 *
 * @param clientProperties every {@code kafka.*} key, prefix removed, for all clients
 * @param reports the compacted topic of report events, keyed by report id
 * @param deadLetter where records that cannot be applied go, with the reason in headers
 * @param groupProtocol {@code consumer} (KIP-848: the broker assigns partitions, a member that
 *     leaves or joins does not stop the others) or {@code classic}, for consumers in a group
 * @param stallAfterSeconds a consumer thread that makes no progress this long is reported stalled
 * @param partitionsRefresh how often consumers look for partitions added to their topics
 * @param maxBehindSeconds a caught-up view that has not applied what its topic held this long ago
 *     cannot keep up
 */
public record KafkaSettings(Map<String, String> clientProperties, TopicSettings reports, TopicSettings deadLetter,
    String groupProtocol, int stallAfterSeconds, java.time.Duration partitionsRefresh, int maxBehindSeconds) {
  /** Client settings only the classic protocol takes; with KIP-848 the broker's group settings rule. */
  private static final java.util.Set<String> CLASSIC_ONLY = java.util.Set.of("session.timeout.ms",
      "heartbeat.interval.ms", "partition.assignment.strategy");

  public KafkaSettings {
    clientProperties = Map.copyOf(clientProperties);
  }

  public static KafkaSettings from(Config config) {
    int partitions = config.integer("topics.partitions", 1, 1000);
    short replication = (short) config.integer("topics.replication.factor", 1, 32);
    Map<String, String> compacted = Map.of(
        "cleanup.policy", "compact",
        // Keep retraction tombstones a day so that a consumer rebuilding its view sees them.
        "delete.retention.ms", "86400000",
        "min.compaction.lag.ms", "3600000");
    TopicSettings reports = new TopicSettings(config.string("topics.reports"), partitions, replication, compacted);
    TopicSettings dlq = new TopicSettings(config.string("topics.reports.dlq"), partitions, replication,
        // Compacted as well: every instance dead-letters the same poison record under the same key.
        Map.of("cleanup.policy", "compact,delete", "retention.ms", String.valueOf(30L * 24 * 3600 * 1000)));
    String protocol = config.string("consumer.group.protocol").trim().toLowerCase(java.util.Locale.ROOT);
    if (!protocol.equals("consumer") && !protocol.equals("classic")) {
      throw new ConfigException("consumer.group.protocol must be consumer or classic, not " + protocol);
    }
    return new KafkaSettings(config.withPrefix("kafka."), reports, dlq, protocol,
        config.integer("consumer.stall.after.seconds", 10, 86_400),
        java.time.Duration.ofSeconds(config.integer("consumer.partitions.refresh.seconds", 1, 3600)),
        config.integer("consumer.max.behind.seconds", 5, 86_400));
  }

  public String bootstrapServers() {
    return clientProperties.getOrDefault("bootstrap.servers", "localhost:9092");
  }

  /** The client properties merged with {@code specific}, which wins; a mutable copy for a client. */
  public Map<String, Object> clientConfig(Map<String, Object> specific) {
    Map<String, Object> out = new HashMap<>(clientProperties);
    out.putAll(specific);
    return out;
  }

  /**
   * Like {@link #clientConfig}, for a consumer in group {@code groupId} using {@link #groupProtocol}.
   * Under the consumer protocol, settings that only the classic one accepts are left out.
   *
   * <p>Partitions added to a topic reach the group by itself: under the consumer protocol the broker
   * assigns them at the members' next heartbeat; under the classic one the leader notices them at
   * its next metadata refresh, so {@code metadata.max.age.ms} (5 minutes by default) is set to
   * {@link #partitionsRefresh}. Either way they are read from the beginning ({@code earliest}).
   */
  public Map<String, Object> groupConsumerConfig(String groupId, Map<String, Object> specific) {
    Map<String, Object> out = clientConfig(specific);
    out.put("group.id", groupId);
    out.put("group.protocol", groupProtocol);
    out.put("metadata.max.age.ms", (int) Math.min(Integer.MAX_VALUE, partitionsRefresh.toMillis()));
    if (groupProtocol.equals("consumer")) {
      out.keySet().removeAll(CLASSIC_ONLY);
    }
    return out;
  }
}
