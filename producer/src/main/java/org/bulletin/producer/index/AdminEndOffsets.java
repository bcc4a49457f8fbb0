package org.bulletin.producer.index;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.bulletin.platform.config.KafkaSettings;
import org.bulletin.platform.kafka.KafkaUnavailableException;

/**
 * {@link EndOffsets} from an admin client (thread-safe, shared by the barrier's pool). The
 * partition count is asked each time, so partitions added to the topic are taken into account.
 */
public final class AdminEndOffsets implements EndOffsets, AutoCloseable {
  private final Admin admin;
  private final String topic;

  public AdminEndOffsets(KafkaSettings kafka, long timeoutMs) {
    this.topic = kafka.reports().name();
    this.admin = Admin.create(kafka.clientConfig(Map.of(
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeoutMs, 5000))));
  }

  /**
   * The partition the producer's default partitioner picks for a key: murmur2 of its bytes over
   * the partition count (the key is serialised as UTF-8).
   */
  public static int partitionFor(String reportId, int partitions) {
    return Utils.toPositive(Utils.murmur2(reportId.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  @Override
  public PartitionEnd of(String reportId, long timeoutMs) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    try {
      TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
          .get(timeoutMs, TimeUnit.MILLISECONDS).get(topic);
      TopicPartition tp = new TopicPartition(topic, partitionFor(reportId, description.partitions().size()));
      long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      long end = admin.listOffsets(Map.of(tp, OffsetSpec.latest()),
              new ListOffsetsOptions(IsolationLevel.READ_COMMITTED).timeoutMs((int) Math.min(Integer.MAX_VALUE, left)))
          .partitionResult(tp).get(left, TimeUnit.MILLISECONDS).offset();
      return new PartitionEnd(tp.partition(), end);
    } catch (ExecutionException e) {
      throw new KafkaUnavailableException("end offset of " + topic + " not known: " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaUnavailableException("end offset of " + topic + " not known within " + timeoutMs + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaUnavailableException("interrupted while asking the end offset of " + topic, e);
    }
  }

  @Override
  public void close() {
    admin.close(java.time.Duration.ofSeconds(5));
  }
}
