package org.bulletin.feed.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import io.vertx.core.Future;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bulletin.feed.metrics.FeedMetrics;
import org.bulletin.platform.config.KafkaSettings;
import org.bulletin.platform.kafka.ConsumerThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads delivery tasks (the due topic and every retry tier) in a consumer group shared by all
 * instances; one thread owns the consumer. A tier's partition whose head is not due yet is paused
 * until it is. Due tasks go to the dispatcher ({@link DeliveryShards}, the shard of the task's
 * endpoint); an offset is committed only once
 * every task up to it has a durable outcome and counts as committed once the broker confirmed it.
 *
 * <p>No task is dropped silently: a poison record (no value, unreadable, a field missing, over
 * {@code webhook.task.max.bytes}) is dead-lettered with the reason; a task for a subscription this
 * instance does not know is judged by the dispatcher (one grace, without holding the partition).
 * Tasks are read only once the subscriptions are loaded. When the loop fails, it starts again with
 * a new consumer from the committed offsets.
 *
 * <p>A retry tier releases a task when its hop is over ({@code notBefore}); if the task's due time
 * is still a tier or more away it makes its next hop (written to the next tier, then its offset is
 * done), otherwise it goes to the dispatcher, which waits the remainder in memory.
 *
 * <p>Every attempt to an endpoint is made by the instance owning the endpoint's partition of the
 * tasks topic ({@link EndpointOwnership}): its first attempts are read there, and a retry released
 * by a tier partition this instance owns while another owns the endpoint is written to the tasks
 * topic (still due at its time, its tier offset done once that write is durable) for the owner to
 * attempt. So one dispatcher keeps an endpoint's rate limit, in-flight bound and order, however
 * many instances run; only while partitions move in a rebalance may two instances attempt it.
 */
public final class DeliveryWorker extends ConsumerThread {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);
  private static final long BACKLOG_REFRESH_MS = 1_000;
  private static final long BACKLOG_RETRY_MS = 10_000;
  private static final long REDO_AFTER_MS = 1_000;
  // The dead-letter topic itself refuses (missing, denied): nowhere else to put the record, so it
  // holds its partition and is tried again, slowly.
  private static final long REDO_AFTER_PERMANENT_MS = 30_000;

  private final KafkaSettings kafka;
  private final DeliveryEngineSettings settings;
  private final DeliveryShards dispatcher;
  private final BooleanSupplier subscriptionsReady;
  private final DeliveryOutcomes outcomes;
  private final DeliveryProducer producer;
  private final FeedMetrics metrics;
  private final TaskReader reader;
  private final AtomicLong tierBacklog = new AtomicLong();
  private final int maxInFlight;
  private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
  // Each run of the work loop has its own generation: completions of an earlier run are ignored.
  private volatile int generation;
  // What the current run's consumer owns (an immutable set); written by this thread only.
  private volatile Set<TopicPartition> owned = Set.of();
  private final EndpointOwnership ownership;
  // When to look the tasks topic's partition count up (again), in System.nanoTime().
  private long tasksPartitionsAt;

  /**
   * @param subscriptionsReady true once every endpoint of every channel that existed at start is loaded
   */
  public DeliveryWorker(KafkaSettings kafka, DeliveryEngineSettings settings, DeliveryShards dispatcher,
      BooleanSupplier subscriptionsReady, DeliveryOutcomes outcomes,
      DeliveryProducer producer, FeedMetrics metrics) {
    super("bulletin-webhook-delivery");
    this.kafka = kafka;
    this.settings = settings;
    this.dispatcher = dispatcher;
    this.maxInFlight = settings.maxInFlight();
    this.subscriptionsReady = subscriptionsReady;
    this.outcomes = outcomes;
    this.producer = producer;
    this.metrics = metrics;
    this.reader = new TaskReader(settings.taskMaxBytes());
    this.ownership = new EndpointOwnership(settings.tasks().name());
  }

  /**
   * Retries waiting on this instance: the records of the retry-tier partitions it owns that it has
   * not read yet, those it read and has not finished (waiting for their due time, queued or under
   * way), and retries held in memory between attempts. Any thread.
   */
  public long pendingRetries() {
    return tierBacklog.get() + dispatcher.retriesInMemory();
  }

  /** The partitions this instance's consumer owned after its last poll. Any thread. */
  Set<TopicPartition> assignment() {
    return owned;
  }

  @Override
  protected void work() throws InterruptedException {
    while (running() && !subscriptionsReady.getAsBoolean()) {
      pause(50); // a task is judged against the full set of subscriptions
    }
    Map<String, Object> specific = new HashMap<>(Map.of(
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000));
    if (kafka.groupProtocol().equals("classic")) {
      // Only partitions that really move are revoked, so the drain on revocation below holds
      // up just those (the consumer protocol is incremental by itself).
      specific.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
    }
    Map<String, Object> config = kafka.groupConsumerConfig(settings.groupPrefix() + "-delivery", specific);
    List<String> topics = new ArrayList<>(List.of(settings.tasks().name()));
    settings.schedule().tiers().forEach(t -> topics.add(settings.retryTopic(t)));
    int gen = ++generation;
    long backlogAt = 0;
    completions.clear();
    OffsetTracker tracker = new OffsetTracker();
    Map<TopicPartition, Long> resumeAt = new HashMap<>();
    Set<TopicPartition> heldBack = new HashSet<>();
    List<Redo> redo = new ArrayList<>();
    Set<TopicPartition> endpointHeld = new HashSet<>();
    tasksPartitionsAt = System.nanoTime();
    ownership.partitions(0);
    ownership.assigned(Set.of());
    if (!owned.isEmpty()) {
      // The last run's consumer is gone with its partitions: its queued tasks are read again.
      dispatcher.dropQueued(owned);
      owned = Set.of();
    }
    try (KafkaConsumer<String, byte[]> c = own(new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer()))) {
      c.subscribe(topics, new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
          // Tasks not started yet are dropped (uncommitted: the new owner reads them); attempts
          // under way finish (bounded by the request timeout), so that the new owner does not
          // send them again: in normal operation no event goes twice to an endpoint.
          int dropped = Math.max(0, dispatcher.dropQueued(partitions));
          long deadline = System.nanoTime() + settings.timeout().plusSeconds(5).toNanos();
          drainCompletions(gen, tracker, redo);
          // On shutdown the dispatcher starts nothing more: waiting would only delay the exit.
          while (running() && tracker.inFlightCount(partitions) > dropped && System.nanoTime() < deadline) {
            try {
              Thread.sleep(10);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              break;
            }
            drainCompletions(gen, tracker, redo);
          }
          Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(tracker.committable());
          offsets.keySet().retainAll(partitions);
          if (!offsets.isEmpty()) {
            try {
              c.commitSync(offsets);
            } catch (KafkaException e) {
              // The new owner reads these tasks again: delivered at least once, never lost.
              LOG.warn("Committing offsets of revoked partitions failed: {}", e.getMessage());
            }
          }
          forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
          // Someone else may own them already: committing would fail (or overwrite theirs).
          LOG.info("Lost {} delivery partitions; their unfinished tasks are read again by the new owner",
              partitions.size());
          dispatcher.dropQueued(partitions);
          forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
          // Nothing to set up: positions come from the committed offsets.
        }

        private void forget(Collection<TopicPartition> partitions) {
          tracker.forget(partitions);
          resumeAt.keySet().removeAll(partitions);
          heldBack.removeAll(partitions);
          endpointHeld.removeAll(partitions);
          redo.removeIf(r -> partitions.contains(r.partition()));
        }
      });
      while (running()) {
        long now = System.currentTimeMillis();
        List<TopicPartition> due = new ArrayList<>();
        resumeAt.forEach((tp, at) -> {
          if (at <= now) {
            due.add(tp);
          }
        });
        if (!due.isEmpty()) {
          due.forEach(resumeAt::remove);
          due.removeAll(heldBack);
          due.removeAll(endpointHeld);
          c.resume(due);
        }
        ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(100));
        progress();
        Set<TopicPartition> assignment = c.assignment();
        if (!assignment.equals(owned)) {
          owned = Set.copyOf(assignment);
          ownership.assigned(owned);
        }
        for (TopicPartition tp : records.partitions()) {
          for (ConsumerRecord<String, byte[]> r : records.records(tp)) {
            TaskReader.Read read = reader.read(r.value());
            if (read.poison()) {
              tracker.started(tp, r.offset());
              metrics.poisonTask("unreadable");
              Redo action = new Redo(gen, tp, r.offset(), () -> deadLetterPoison(r, read.problem()));
              run(action);
              continue;
            }
            DeliveryTask task = read.task();
            long readAt = System.currentTimeMillis();
            if (task.notBefore() > readAt + 5) {
              // Every record of a tier waits the same delay: the head is the first due.
              holdUntil(c, tp, r.offset(), task.notBefore(), resumeAt);
              break;
            }
            Optional<Duration> hop = outcomes.nextHop(task, readAt);
            if (hop.isPresent()) {
              tracker.started(tp, r.offset());
              run(new Redo(gen, tp, r.offset(), () -> outcomes.hop(task, hop.get())));
              continue;
            }
            tracker.started(tp, r.offset());
            if (!tp.topic().equals(settings.tasks().name()) && !ownsEndpoint(c, task.endpointId())) {
              metrics.retryHandedOver();
              run(new Redo(gen, tp, r.offset(), () -> handOver(task)));
              continue;
            }
            long partitionOffset = r.offset();
            // done runs on the shard's context; the completion travels back through the queue.
            dispatcher.submit(task, tp, () -> completions.add(new Completion(gen, tp, partitionOffset, null)));
          }
        }
        drainCompletions(gen, tracker, redo);
        runDueRedo(redo);
        Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable();
        if (!offsets.isEmpty()) {
          tracker.commitRequested(offsets);
          // The callback runs on this thread, inside a later poll or commit.
          c.commitAsync(offsets, (o, e) -> {
            if (e != null) {
              LOG.warn("Committing delivery offsets failed (committed again later): {}", e.getMessage());
              tracker.commitFailed(offsets);
            } else {
              tracker.commitSucceeded(offsets);
            }
          });
        }
        applyBackpressure(c, tracker, heldBack, resumeAt, endpointHeld);
        holdFullEndpoints(c, endpointHeld, heldBack, resumeAt);
        if (System.currentTimeMillis() >= backlogAt) {
          // Slower while the broker does not answer: the lookup blocks this loop up to 500 ms.
          backlogAt = System.currentTimeMillis()
              + (refreshTierBacklog(c, tracker) ? BACKLOG_REFRESH_MS : BACKLOG_RETRY_MS);
        }
      }
      drainCompletions(gen, tracker, redo);
      Map<TopicPartition, OffsetAndMetadata> last = tracker.committable();
      if (!last.isEmpty()) {
        try {
          c.commitSync(last, Duration.ofSeconds(3));
        } catch (KafkaException e) {
          LOG.warn("Committing delivery offsets on the way out failed (those tasks are read again): {}", e.getMessage());
        }
      }
    }
  }

  /**
   * Whether this instance makes the endpoint's attempts (see {@link EndpointOwnership}). The tasks
   * topic's partition count is looked up at most every {@code consumer.partitions.refresh.seconds};
   * while it is unknown the answer is yes (attempted here, as before).
   */
  private boolean ownsEndpoint(KafkaConsumer<String, byte[]> c, String endpointId) {
    long now = System.nanoTime();
    if (now - tasksPartitionsAt >= 0) {
      int count = 0;
      try {
        count = c.partitionsFor(settings.tasks().name(), Duration.ofMillis(500)).size();
      } catch (KafkaException e) {
        LOG.debug("Looking up the partitions of the tasks topic failed (retries attempted here meanwhile): {}",
            e.toString());
      }
      // Unknown: asked again in a second, not held up for it meanwhile.
      tasksPartitionsAt = now + (count > 0 ? kafka.partitionsRefresh().toNanos() : 1_000_000_000L);
      if (count > 0) {
        ownership.partitions(count);
      }
    }
    return ownership.owns(endpointId);
  }

  /** Writes a released retry to the tasks topic for the endpoint's owner; done once it is durable. */
  private Future<Void> handOver(DeliveryTask task) {
    return producer.send(settings.tasks().name(), task.endpointId(), TaskCodec.encode(task)).mapEmpty();
  }

  private static void holdUntil(KafkaConsumer<String, byte[]> c, TopicPartition tp, long offset, long at,
      Map<TopicPartition, Long> resumeAt) {
    c.pause(List.of(tp));
    c.seek(tp, offset);
    resumeAt.put(tp, at);
  }

  /** Writes the dead letter of a poison record; the offset is done once it is durable. */
  private Future<Void> deadLetterPoison(ConsumerRecord<String, byte[]> r, String reason) {
    LOG.warn("Delivery task {}/{}/{} dead-lettered: {}", r.topic(), r.partition(), r.offset(), reason);
    return producer.send(settings.deadLetter().name(), r.key(), TaskReader.deadLetter(r, reason)).mapEmpty();
  }

  /**
   * Starts a dead-letter write on a context of the dispatcher (its first shard's; a write chained
   * on Kafka's I/O thread could block it); when it fails it is written again later, holding its offset.
   */
  private void run(Redo action) {
    dispatcher.context().runOnContext(v -> {
      Future<Void> f;
      try {
        f = action.write().get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(ar -> completions.add(new Completion(action.generation(), action.partition(), action.offset(),
          ar.failed() ? action.withError(ar.cause()) : null)));
    });
  }

  private void runDueRedo(List<Redo> redo) {
    long now = System.currentTimeMillis();
    List<Redo> due = redo.stream().filter(r -> r.dueAt() <= now).toList();
    redo.removeAll(due);
    due.forEach(this::run);
  }

  /** Too many tasks in flight: stop fetching until half of them are done. */
  private void applyBackpressure(KafkaConsumer<String, byte[]> c, OffsetTracker tracker,
      Set<TopicPartition> heldBack, Map<TopicPartition, Long> resumeAt, Set<TopicPartition> endpointHeld) {
    if (tracker.inFlightCount() > maxInFlight && heldBack.isEmpty()) {
      heldBack.addAll(c.assignment());
      c.pause(heldBack);
    } else if (!heldBack.isEmpty() && tracker.inFlightCount() < maxInFlight / 2) {
      List<TopicPartition> resume = new ArrayList<>(heldBack);
      resume.removeAll(resumeAt.keySet());
      resume.removeAll(endpointHeld);
      heldBack.clear();
      c.resume(resume);
    }
  }

  /**
   * Pauses the partitions that feed an ordered endpoint whose queue is full, until it drained:
   * its tasks cannot be deferred without reordering them.
   */
  private void holdFullEndpoints(KafkaConsumer<String, byte[]> c, Set<TopicPartition> held,
      Set<TopicPartition> heldBack, Map<TopicPartition, Long> resumeAt) {
    Set<TopicPartition> full = new HashSet<>(dispatcher.saturatedPartitions());
    full.retainAll(c.assignment());
    List<TopicPartition> release = held.stream().filter(tp -> !full.contains(tp)).toList();
    if (!release.isEmpty()) {
      held.removeAll(release);
      c.resume(release.stream().filter(tp -> !heldBack.contains(tp) && !resumeAt.containsKey(tp)).toList());
    }
    full.removeAll(held);
    if (!full.isEmpty()) {
      held.addAll(full);
      c.pause(full);
    }
  }

  /**
   * Counts the retry-tier records this instance owns and has not finished: not read yet (end
   * offset minus position, paused partitions included, which the consumer's own lag may not know)
   * plus read and in flight. Keeps the last count when the broker does not answer.
   *
   * @return false when the broker did not answer
   */
  private boolean refreshTierBacklog(KafkaConsumer<String, byte[]> c, OffsetTracker tracker) {
    List<TopicPartition> tiers = c.assignment().stream()
        .filter(tp -> !tp.topic().equals(settings.tasks().name())).toList();
    if (tiers.isEmpty()) {
      tierBacklog.set(0);
      return true;
    }
    Map<TopicPartition, Long> ends;
    try {
      ends = c.endOffsets(tiers, Duration.ofMillis(500));
    } catch (KafkaException e) {
      LOG.debug("Counting the retry backlog failed (kept the last count): {}", e.toString());
      return false;
    }
    long unread = 0;
    for (TopicPartition tp : tiers) {
      Long end = ends.get(tp);
      if (end == null) {
        continue;
      }
      try {
        unread += Math.max(0, end - c.position(tp, Duration.ZERO)); // known locally once fetched
      } catch (KafkaException e) {
        unread += c.currentLag(tp).orElse(0); // position not known yet (being looked up)
      }
    }
    tierBacklog.set(unread + tracker.inFlightCount(tiers));
    return true;
  }

  /** A dead-letter, hop or hand-over write of this worker, to be made again if it failed. */
  private record Redo(int generation, TopicPartition partition, long offset,
      java.util.function.Supplier<Future<Void>> write, long dueAt) {
    Redo(int generation, TopicPartition partition, long offset, java.util.function.Supplier<Future<Void>> write) {
      this(generation, partition, offset, write, 0);
    }

    Redo withError(Throwable error) {
      boolean permanent = DeliveryProducer.isPermanent(error);
      long after = permanent ? REDO_AFTER_PERMANENT_MS : REDO_AFTER_MS;
      LOG.warn("Writing the dead letter, next hop or hand-over of {}/{} failed ({}); trying again in {} s, the partition waits", partition,
          offset, error.toString(), after / 1000);
      return new Redo(generation, partition, offset, write, System.currentTimeMillis() + after);
    }
  }

  /**
   * A task whose outcome is durable, or (with {@code redo}) whose dead letter must be written
   * again; travels from the dispatcher's or the producer's thread to the consumer's.
   */
  private record Completion(int generation, TopicPartition partition, long offset, Redo redo) {}

  private void drainCompletions(int gen, OffsetTracker tracker, List<Redo> redo) {
    Completion done;
    while ((done = completions.poll()) != null) {
      if (done.generation() != gen) {
        continue;
      }
      if (done.redo() != null) {
        redo.add(done.redo());
      } else {
        tracker.done(done.partition(), done.offset());
      }
    }
  }

}
