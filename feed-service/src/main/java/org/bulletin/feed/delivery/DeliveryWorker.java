package org.bulletin.feed.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bulletin.feed.webhook.WebhookSettings;
import org.bulletin.platform.config.KafkaSettings;
import org.bulletin.platform.kafka.ConsumerThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads delivery tasks (the due topic and every retry tier) in a consumer group shared by all
 * instances; one thread owns the consumer. A tier's partition whose head is not due yet is paused
 * until it is. Due tasks go to the {@link EndpointDispatcher}; an offset is committed only once
 * every task up to it has a durable outcome.
 */
public final class DeliveryWorker extends ConsumerThread {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);
  private static final int MAX_IN_FLIGHT = 20_000;

  private final KafkaSettings kafka;
  private final WebhookSettings settings;
  private final EndpointDispatcher dispatcher;
  private final AtomicLong waitingRetries = new AtomicLong();
  private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();

  public DeliveryWorker(KafkaSettings kafka, WebhookSettings settings, EndpointDispatcher dispatcher) {
    super("bulletin-webhook-delivery");
    this.kafka = kafka;
    this.settings = settings;
    this.dispatcher = dispatcher;
  }

  /** Retries waiting in the tiers this instance reads (their consumer lag). */
  public long waitingRetries() {
    return waitingRetries.get();
  }

  @Override
  protected void work() throws InterruptedException {
    Map<String, Object> config = kafka.clientConfig(Map.of(
        ConsumerConfig.GROUP_ID_CONFIG, settings.groupPrefix() + "-delivery",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000,
        // Only partitions that really move are revoked, so the drain on revocation below holds
        // up just those, not every partition of every member at each rebalance.
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName()));
    List<String> topics = new ArrayList<>(List.of(settings.tasks().name()));
    settings.schedule().tiers().forEach(t -> topics.add(settings.retryTopic(t)));
    OffsetTracker tracker = new OffsetTracker();
    Map<TopicPartition, Long> resumeAt = new HashMap<>();
    Set<TopicPartition> heldBack = new HashSet<>();
    Set<TopicPartition> endpointHeld = new HashSet<>();
    try (KafkaConsumer<String, byte[]> c = own(new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer()))) {
      c.subscribe(topics, new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
          // Tasks not started yet are dropped (uncommitted: the new owner reads them); attempts
          // under way finish (bounded by the request timeout), so that the new owner does not
          // send them again: in normal operation no event goes twice to an endpoint.
          int dropped = Math.max(0, dispatcher.dropQueued(partitions));
          long deadline = System.nanoTime() + settings.timeout().plusSeconds(5).toNanos();
          drainCompletions(tracker);
          while (tracker.inFlightCount(partitions) > dropped && System.nanoTime() < deadline) {
            try {
              Thread.sleep(10);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              break;
            }
            drainCompletions(tracker);
          }
          Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(tracker.committable());
          offsets.keySet().retainAll(partitions);
          if (!offsets.isEmpty()) {
            c.commitSync(offsets);
          }
          tracker.forget(partitions);
          resumeAt.keySet().removeAll(partitions);
          heldBack.removeAll(partitions);
          endpointHeld.removeAll(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
          // Already owned by another member: send nothing more of them, commit nothing.
          dispatcher.dropQueued(partitions);
          tracker.forget(partitions);
          resumeAt.keySet().removeAll(partitions);
          heldBack.removeAll(partitions);
          endpointHeld.removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
          // Nothing to set up: positions come from the committed offsets.
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
        for (TopicPartition tp : records.partitions()) {
          for (ConsumerRecord<String, byte[]> r : records.records(tp)) {
            DeliveryTask task;
            try {
              task = DeliveryJson.read(r.value(), DeliveryTask.class);
            } catch (RuntimeException e) {
              LOG.warn("Skipping unreadable delivery task {}/{}: {}", tp, r.offset(), e.getMessage());
              tracker.skipped(tp, r.offset());
              continue;
            }
            if (task.notBefore() > System.currentTimeMillis() + 5) {
              c.pause(List.of(tp));
              c.seek(tp, r.offset());
              resumeAt.put(tp, task.notBefore());
              break;
            }
            tracker.started(tp, r.offset());
            long partitionOffset = r.offset();
            dispatcher.context().runOnContext(v -> dispatcher.submit(task, tp,
                () -> completions.add(new Completion(tp, partitionOffset))));
          }
        }
        drainCompletions(tracker);
        Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable();
        if (!offsets.isEmpty()) {
          c.commitAsync(offsets, (o, e) -> {
            if (e != null) {
              LOG.warn("Committing delivery offsets failed: {}", e.getMessage());
            }
          });
          tracker.committed(offsets);
        }
        applyBackpressure(c, tracker, heldBack, resumeAt, endpointHeld);
        holdFullEndpoints(c, endpointHeld, heldBack, resumeAt);
        waitingRetries.set(retryLag(c));
      }
      drainCompletions(tracker);
      Map<TopicPartition, OffsetAndMetadata> last = tracker.committable();
      if (!last.isEmpty()) {
        c.commitSync(last);
      }
    }
  }

  /** Too many tasks in flight: stop fetching until half of them are done. */
  private void applyBackpressure(KafkaConsumer<String, byte[]> c, OffsetTracker tracker,
      Set<TopicPartition> heldBack, Map<TopicPartition, Long> resumeAt, Set<TopicPartition> endpointHeld) {
    if (tracker.inFlightCount() > MAX_IN_FLIGHT && heldBack.isEmpty()) {
      heldBack.addAll(c.assignment());
      c.pause(heldBack);
    } else if (!heldBack.isEmpty() && tracker.inFlightCount() < MAX_IN_FLIGHT / 2) {
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

  private long retryLag(KafkaConsumer<String, byte[]> c) {
    long lag = 0;
    for (TopicPartition tp : c.assignment()) {
      if (!tp.topic().equals(settings.tasks().name())) {
        lag += c.currentLag(tp).orElse(0);
      }
    }
    return lag;
  }

  /** A task whose outcome is durable; travels from the dispatcher's thread to the consumer's. */
  private record Completion(TopicPartition partition, long offset) {}

  private void drainCompletions(OffsetTracker tracker) {
    Completion done;
    while ((done = completions.poll()) != null) {
      tracker.done(done.partition(), done.offset());
    }
  }

}
