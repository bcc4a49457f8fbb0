package org.bulletin.platform.config;

import java.util.HashMap;
import java.util.Map;

/**
 * Kafka connection and topic layout, shared by every service.
 *
 * @param clientProperties every {@code kafka.*} key, prefix removed, for all clients
 * @param reports the compacted topic of report events, keyed by report id
 * @param deadLetter where records that cannot be applied go, with the reason in headers
 * @param partitionsRefresh how often consumers look for partitions added to their topics
 * @param maxBehindSeconds a caught-up view that has not applied what its topic held this long ago
 *     cannot keep up
 */
public record KafkaSettings(Map<String, String> clientProperties, TopicSettings reports, TopicSettings deadLetter,
    java.time.Duration partitionsRefresh, int maxBehindSeconds) {
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
    return new KafkaSettings(config.withPrefix("kafka."), reports, dlq,
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
}
