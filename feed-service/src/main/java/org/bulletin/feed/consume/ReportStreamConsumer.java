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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bulletin.feed.metrics.FeedMetrics;
import org.bulletin.feed.serve.DocumentStore;
import org.bulletin.feed.view.Change;
import org.bulletin.feed.view.EntryKey;
import org.bulletin.platform.config.KafkaSettings;
import org.bulletin.platform.kafka.ConsumerThread;
import org.bulletin.platform.kafka.PartitionWatch;
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
 * When the loop fails (Kafka timeouts while the broker flaps), it starts again with a new consumer
 * from the offsets the view has applied. Partitions added to the topic are read from the beginning
 * within {@code consumer.partitions.refresh.seconds}. Once caught up, it tells {@link ViewLag}
 * after every batch where the view is, so that health reports a view that cannot keep up.
 */
public final class ReportStreamConsumer extends ConsumerThread {
  private static final Logger LOG = LoggerFactory.getLogger(ReportStreamConsumer.class);

  private final KafkaSettings kafka;
  private final Context context;
  private final BoundedExecutor viewExecutor;
  private final DocumentStore store;
  private final DeadLetterPublisher deadLetters;
  private final FeedMetrics metrics;
  private final ViewLag viewLag;
  private final CloudEventCodec codec = new CloudEventCodec();
  // Decoding (JSON and schema validation) dominates catch-up; big polls use every core.
  private static final int DECODERS = Math.max(1, Runtime.getRuntime().availableProcessors());
  private static final int PARALLEL_FROM = 256;
  private final java.util.concurrent.ExecutorService decoders = new java.util.concurrent.ThreadPoolExecutor(DECODERS,
      DECODERS, 60, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.ArrayBlockingQueue<>(DECODERS * 2),
      r -> {
        Thread t = new Thread(r, "bulletin-report-decoder");
        t.setDaemon(true);
        return t;
      });
  private final AtomicBoolean ready = new AtomicBoolean();
  // Confined to the consumer thread; kept across restarts of the work loop.
  private final Map<TopicPartition, Long> applied = new HashMap<>();
  private Map<TopicPartition, Long> startEnd;

  /** @param viewLag told where the view is after each batch, on this consumer's thread */
  public ReportStreamConsumer(KafkaSettings kafka, Context context, BoundedExecutor viewExecutor, DocumentStore store,
      DeadLetterPublisher deadLetters, FeedMetrics metrics, ViewLag viewLag) {
    super("bulletin-report-consumer");
    this.kafka = kafka;
    this.context = context;
    this.viewExecutor = viewExecutor;
    this.store = store;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.viewLag = viewLag;
  }

  /** True once the view has applied everything that was in the topic when this instance started. */
  public boolean isReady() {
    return ready.get();
  }

  @Override
  public void close() {
    super.close();
    decoders.shutdownNow();
  }

  @Override
  protected void work() throws InterruptedException {
    Map<String, Object> config = kafka.clientConfig(Map.of(
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000));
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    PartitionWatch watch = new PartitionWatch(kafka.reports().name(), kafka.partitionsRefresh());
    config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) Math.min(Integer.MAX_VALUE, watch.metadataMaxAgeMs()));
    try (KafkaConsumer<String, byte[]> c = own(new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer()))) {
      List<TopicPartition> partitions = awaitPartitions(c);
      if (partitions.isEmpty()) {
        return;
      }
      c.assign(partitions);
      watch.assigned(partitions);
      // After a restart, go on from what the view has applied; the first time, from the beginning.
      for (TopicPartition tp : partitions) {
        Long at = applied.get(tp);
        if (at == null) {
          c.seekToBeginning(List.of(tp));
        } else {
          c.seek(tp, at);
        }
      }
      if (startEnd == null) {
        startEnd = new HashMap<>(c.endOffsets(partitions));
        LOG.info("Rebuilding the view from {} partitions of {} (end offsets {})", partitions.size(),
            kafka.reports().name(), startEnd);
      } else {
        LOG.info("Following {} again from offsets {}", kafka.reports().name(), applied);
      }
      while (running()) {
        ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(200));
        List<Change> changes = decode(records, !ready.get());
        boolean caughtUp = ready.get() || caughtUp(c, startEnd);
        if (!changes.isEmpty() || (caughtUp && !ready.get())) {
          applyOnViewThread(changes, caughtUp);
          if (caughtUp && !ready.get()) {
            ready.set(true);
            metrics.ready(true);
            LOG.info("View caught up: {} reports", store.reportCount());
          }
        }
        for (TopicPartition tp : records.partitions()) {
          List<ConsumerRecord<String, byte[]>> list = records.records(tp);
          applied.put(tp, list.get(list.size() - 1).offset() + 1);
        }
        if (!watch.addNew(c).isEmpty()) {
          partitions = watch.partitions();
        }
        observeLag(c, partitions);
        progress();
      }
    }
  }

  private List<TopicPartition> awaitPartitions(KafkaConsumer<String, byte[]> c) throws InterruptedException {
    while (running()) {
      try {
        List<PartitionInfo> infos = c.partitionsFor(kafka.reports().name(), Duration.ofSeconds(10));
        if (infos != null && !infos.isEmpty()) {
          return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        }
        LOG.warn("Topic {} does not exist yet; waiting", kafka.reports().name());
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        LOG.warn("Kafka at {} does not answer yet; waiting", kafka.bootstrapServers());
      }
      pause(1000);
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

  /** Everything polled has been applied here, so the positions are where the view is. */
  private void observeLag(KafkaConsumer<String, byte[]> c, List<TopicPartition> partitions) {
    long total = 0;
    Map<TopicPartition, Long> at = new HashMap<>();
    Map<TopicPartition, Long> ends = new HashMap<>();
    for (TopicPartition tp : partitions) {
      java.util.OptionalLong lag = c.currentLag(tp);
      if (lag.isPresent()) {
        long position = c.position(tp);
        at.put(tp, position);
        ends.put(tp, position + lag.getAsLong());
        total += lag.getAsLong();
      }
    }
    metrics.lag(total);
    if (ready.get()) {
      viewLag.observe(at, ends);
    }
  }

  /** A record decoded: a change, nothing (a tombstone without key), or the reason it is rejected. */
  private record Decoded(ConsumerRecord<String, byte[]> record, Change change, EventRejectedException rejected) {}

  /**
   * Decodes (and schema-validates) a poll, in parallel chunks when it is large, keeping record
   * order; rejected records go to the dead-letter topic, in order, before the changes are applied.
   * While catching up, a version that a later record of the same key on the same partition in this
   * poll supersedes is skipped, unless that later record is rejected ({@link SupersededVersions}):
   * the view would overwrite it anyway, and compaction will remove it. (A live instance decoded it
   * when it arrived, and dead-lettered it if it was invalid.)
   */
  private List<Change> decode(ConsumerRecords<String, byte[]> records, boolean skipSuperseded)
      throws InterruptedException {
    List<ConsumerRecord<String, byte[]>> list = new ArrayList<>(records.count());
    records.forEach(list::add);
    int[] next = skipSuperseded ? SupersededVersions.of(list) : null;
    List<Integer> wanted = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      if (next == null || next[i] < 0) {
        wanted.add(i);
      }
    }
    Decoded[] decoded = new Decoded[list.size()];
    if (wanted.size() < PARALLEL_FROM) {
      wanted.forEach(i -> decoded[i] = decodeOne(list.get(i)));
    } else {
      int chunk = (wanted.size() + DECODERS - 1) / DECODERS;
      List<java.util.concurrent.Future<?>> parts = new ArrayList<>();
      for (int from = 0; from < wanted.size(); from += chunk) {
        List<Integer> slice = wanted.subList(from, Math.min(wanted.size(), from + chunk));
        parts.add(decoders.submit(() -> slice.forEach(i -> decoded[i] = decodeOne(list.get(i)))));
      }
      for (var part : parts) {
        try {
          part.get(); // also makes the workers' writes to decoded visible here
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException("decoding failed", e.getCause());
        }
      }
    }
    if (next != null) {
      // A version whose successor was rejected is what the view keeps: decode it after all.
      for (int i = list.size() - 1; i >= 0; i--) {
        if (decoded[i] == null && decoded[next[i]] != null && decoded[next[i]].rejected() != null) {
          decoded[i] = decodeOne(list.get(i));
        }
      }
    }
    List<Change> changes = new ArrayList<>(list.size());
    int skipped = 0;
    for (Decoded d : decoded) {
      if (d == null) {
        skipped++;
      } else if (d.rejected() != null) {
        deadLetters.send(d.record(), d.rejected());
        metrics.deadLettered(d.rejected().code());
      } else if (d.change() != null) {
        changes.add(d.change());
      }
    }
    if (skipped > 0) {
      metrics.consumed("superseded", skipped);
    }
    return changes;
  }

  /** Runs on the consumer thread or a decoder thread; touches no shared state but metrics. */
  private Decoded decodeOne(ConsumerRecord<String, byte[]> record) {
    try {
      Optional<ReportEvent> event = codec.decode(record);
      if (event.isEmpty()) {
        if (record.key() == null) {
          return new Decoded(record, null, null);
        }
        metrics.consumed("tombstone");
        return new Decoded(record, new Change.Retract(record.key(), Instant.ofEpochMilli(record.timestamp())), null);
      }
      ReportEvent e = event.get();
      if (e.report() != null) {
        // Strings cache their hash: computed here, in parallel, the view thread's check for a
        // duplicate version finds it ready (hashing ~2 KB of fresh text was half its work).
        e.report().hashCode();
      }
      metrics.consumed(e.type().shortName());
      Change change = e.type() == EventType.RETRACTED ? new Change.Retract(e.reportId(), e.time(),
          e.data() instanceof org.bulletin.schema.Retraction r ? r.reason() : null)
          : new Change.Upsert(e.report(), e.time(), new EntryKey(record.timestamp(), record.partition(), record.offset()));
      return new Decoded(record, change, null);
    } catch (EventRejectedException rejected) {
      return new Decoded(record, null, rejected);
    } catch (RuntimeException unexpected) {
      // A record no rule foresaw must not stop the view (every instance would retry it forever):
      // it is dead-lettered with what went wrong, like any other reject.
      return new Decoded(record, null, new EventRejectedException("undecodable",
          "decoding failed unexpectedly: " + unexpected, unexpected));
    }
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
        if (e.getCause() instanceof Error error) {
          throw error; // e.g. OutOfMemoryError on the view thread: this thread ends FAILED, liveness DOWN
        }
        throw new IllegalStateException("applying a batch to the view failed", e.getCause());
      }
    }
  }

}
