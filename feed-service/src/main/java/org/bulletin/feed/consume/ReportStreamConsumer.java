package org.bulletin.feed.consume;

import io.vertx.core.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bulletin.feed.metrics.FeedMetrics;
import org.bulletin.feed.serve.DocumentStore;
import org.bulletin.feed.view.Change;
import org.bulletin.feed.view.EntryKey;
import org.bulletin.platform.config.KafkaSettings;
import org.bulletin.platform.exec.BoundedExecutor;
import org.bulletin.platform.exec.OverloadedException;
import org.bulletin.schema.CloudEventCodec;
import org.bulletin.schema.EventRejectedException;
import org.bulletin.schema.EventType;
import org.bulletin.schema.ReportEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of the reports topic from the beginning on its own thread, which alone
 * owns the {@link KafkaConsumer}. Each poll is decoded here (rejects go to the dead-letter topic
 * first), then handed to the view thread; the next poll waits until that batch is applied, so the
 * view never falls behind unboundedly. No consumer group: every instance builds the whole view.
 */
public final class ReportStreamConsumer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReportStreamConsumer.class);

  private final KafkaSettings kafka;
  private final Context context;
  private final BoundedExecutor viewExecutor;
  private final DocumentStore store;
  private final DeadLetterPublisher deadLetters;
  private final FeedMetrics metrics;
  private final CloudEventCodec codec = new CloudEventCodec();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean ready = new AtomicBoolean();
  private final Thread thread;
  private volatile KafkaConsumer<String, byte[]> consumer;

  public ReportStreamConsumer(KafkaSettings kafka, Context context, BoundedExecutor viewExecutor, DocumentStore store,
      DeadLetterPublisher deadLetters, FeedMetrics metrics) {
    this.kafka = kafka;
    this.context = context;
    this.viewExecutor = viewExecutor;
    this.store = store;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.thread = new Thread(this::run, "bulletin-report-consumer");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** True once the view has applied everything that was in the topic when this instance started. */
  public boolean isReady() {
    return ready.get();
  }

  private void run() {
    Map<String, Object> config = kafka.clientConfig(Map.of(
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000));
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer = c;
      List<TopicPartition> partitions = awaitPartitions(c);
      if (partitions.isEmpty()) {
        return;
      }
      c.assign(partitions);
      c.seekToBeginning(partitions);
      Map<TopicPartition, Long> startEnd = new HashMap<>(c.endOffsets(partitions));
      LOG.info("Rebuilding the view from {} partitions of {} (end offsets {})", partitions.size(),
          kafka.reports().name(), startEnd);
      while (running.get()) {
        ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(200));
        List<Change> changes = decode(records);
        boolean caughtUp = ready.get() || caughtUp(c, startEnd);
        if (!changes.isEmpty() || (caughtUp && !ready.get())) {
          applyOnViewThread(changes, caughtUp);
          if (caughtUp && !ready.get()) {
            ready.set(true);
            metrics.ready(true);
            LOG.info("View caught up: {} reports", store.reportCount());
          }
        }
        metrics.lag(lag(c, partitions));
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("The report consumer stopped", e);
    }
  }

  private List<TopicPartition> awaitPartitions(KafkaConsumer<String, byte[]> c) throws InterruptedException {
    while (running.get()) {
      try {
        List<PartitionInfo> infos = c.partitionsFor(kafka.reports().name(), Duration.ofSeconds(10));
        if (infos != null && !infos.isEmpty()) {
          return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        }
        LOG.warn("Topic {} does not exist yet; waiting", kafka.reports().name());
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        LOG.warn("Kafka at {} does not answer yet; waiting", kafka.bootstrapServers());
      }
      Thread.sleep(1000);
    }
    return List.of();
  }

  private static boolean caughtUp(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> startEnd) {
    for (Map.Entry<TopicPartition, Long> e : startEnd.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static long lag(KafkaConsumer<String, byte[]> c, List<TopicPartition> partitions) {
    long total = 0;
    for (TopicPartition tp : partitions) {
      total += c.currentLag(tp).orElse(0);
    }
    return total;
  }

  private List<Change> decode(ConsumerRecords<String, byte[]> records) throws InterruptedException {
    List<Change> changes = new ArrayList<>(records.count());
    for (ConsumerRecord<String, byte[]> record : records) {
      try {
        Optional<ReportEvent> event = codec.decode(record);
        if (event.isEmpty()) {
          if (record.key() != null) {
            changes.add(new Change.Retract(record.key(), Instant.ofEpochMilli(record.timestamp())));
            metrics.consumed("tombstone");
          }
          continue;
        }
        ReportEvent e = event.get();
        metrics.consumed(e.type().shortName());
        if (e.type() == EventType.RETRACTED) {
          changes.add(new Change.Retract(e.reportId(), e.time()));
        } else {
          changes.add(new Change.Upsert(e.report(), e.time(),
              new EntryKey(record.timestamp(), record.partition(), record.offset())));
        }
      } catch (EventRejectedException rejected) {
        deadLetters.send(record, rejected);
        metrics.deadLettered(rejected.code());
      }
    }
    return changes;
  }

  /** Hands the batch to the view thread and waits until it is applied. */
  private void applyOnViewThread(List<Change> changes, boolean caughtUp) throws InterruptedException {
    while (true) {
      try {
        viewExecutor.submit(context, () -> store.apply(changes, caughtUp)).toCompletionStage().toCompletableFuture().get();
        return;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof OverloadedException) {
          Thread.sleep(20); // page renders fill the queue; the batch goes in as soon as one leaves
          continue;
        }
        throw new IllegalStateException("applying a batch to the view failed", e.getCause());
      }
    }
  }

  @Override
  public void close() {
    running.set(false);
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
