package org.bulletin.platform.config;

import java.util.Map;

/** One topic Bulletin creates: its name, partitions, replication factor and topic configs. */
public record TopicSettings(String name, int partitions, short replicationFactor, Map<String, String> configs) {
  public TopicSettings {
    configs = Map.copyOf(configs);
  }
}
