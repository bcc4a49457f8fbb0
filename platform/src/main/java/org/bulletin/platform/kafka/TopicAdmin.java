package org.bulletin.platform.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.bulletin.platform.config.KafkaSettings;
import org.bulletin.platform.config.TopicSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates Bulletin's topics if they are missing. Blocking: call it from a worker or main thread. */
public final class TopicAdmin {
  private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);

  private TopicAdmin() {}

  /**
   * Creates each topic that does not exist yet; existing topics are left as they are.
   *
   * @throws KafkaUnavailableException when the cluster does not answer within {@code timeoutMs}
   */
  public static void ensureTopics(KafkaSettings kafka, List<TopicSettings> topics, long timeoutMs) {
    Map<String, Object> config = kafka.clientConfig(Map.of(
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeoutMs, 5000)));
    try (Admin admin = Admin.create(config)) {
      for (TopicSettings topic : topics) {
        NewTopic newTopic = new NewTopic(topic.name(), topic.partitions(), topic.replicationFactor())
            .configs(topic.configs());
        try {
          admin.createTopics(List.of(newTopic)).all().get(timeoutMs, TimeUnit.MILLISECONDS);
          LOG.info("Created topic {} ({} partitions, replication factor {})",
              topic.name(), topic.partitions(), topic.replicationFactor());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new KafkaUnavailableException("cannot create topic " + topic.name() + " on "
                + kafka.bootstrapServers() + ": " + e.getCause().getMessage(), e.getCause());
          }
        }
      }
    } catch (TimeoutException e) {
      throw new KafkaUnavailableException("Kafka at " + kafka.bootstrapServers() + " did not answer within "
          + timeoutMs + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaUnavailableException("interrupted while creating topics", e);
    }
  }
}
