package org.bulletin.platform.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.bulletin.platform.config.KafkaSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the cluster every {@code interval} whether it answers, on a thread of its own, so that
 * health can say "Kafka unreachable since …" while consumers just see empty polls.
 */
public final class KafkaProbe implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaProbe.class);

  /** The last answer: reachable, or why not and since when. */
  public record Status(boolean reachable, String reason, Instant since) {}

  private final KafkaSettings kafka;
  private final Duration interval;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final Thread thread;
  private volatile Status status;

  public KafkaProbe(KafkaSettings kafka, Duration interval) {
    this.kafka = kafka;
    this.interval = interval;
    this.status = new Status(false, "Kafka at " + kafka.bootstrapServers() + " does not answer yet", Instant.now());
    this.thread = new Thread(this::loop, "bulletin-kafka-probe");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  public Status status() {
    return status;
  }

  private void loop() {
    Map<String, Object> config = kafka.clientConfig(Map.of(
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) interval.multipliedBy(2).toMillis(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) interval.multipliedBy(2).toMillis(),
        AdminClientConfig.CLIENT_ID_CONFIG, "bulletin-kafka-probe"));
    // Only admin settings apply; consumer or producer ones would be logged as unknown.
    config.keySet().retainAll(AdminClientConfig.configNames());
    try (Admin admin = Admin.create(config)) {
      while (stopping.getCount() > 0) {
        try {
          admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) interval.multipliedBy(2).toMillis()))
              .nodes().get(interval.multipliedBy(3).toMillis(), TimeUnit.MILLISECONDS);
          if (!status.reachable()) {
            LOG.info("Kafka at {} answers", kafka.bootstrapServers());
            status = new Status(true, null, Instant.now());
          }
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          if (status.reachable()) {
            LOG.warn("Kafka at {} does not answer: {}", kafka.bootstrapServers(), e.toString());
            status = new Status(false, "Kafka at " + kafka.bootstrapServers() + " does not answer: "
                + (e.getCause() != null ? e.getCause() : e), Instant.now());
          }
        }
        stopping.await(interval.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      status = new Status(false, "the probe failed: " + e, Instant.now());
      LOG.error("The Kafka probe stopped", e);
    }
  }

  @Override
  public void close() {
    stopping.countDown();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
