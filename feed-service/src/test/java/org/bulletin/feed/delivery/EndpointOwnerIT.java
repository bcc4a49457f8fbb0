package org.bulletin.feed.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.bulletin.feed.metrics.FeedMetrics;
import org.bulletin.platform.config.Config;
import org.bulletin.platform.config.KafkaSettings;
import org.bulletin.testkit.KafkaBroker;
import org.bulletin.testkit.KafkaBrokerExtension;
import org.bulletin.testkit.TopicReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two delivery instances in one consumer group on a real broker: a retry released by a tier
 * partition of the instance that does not own its endpoint is attempted by the owner, so the
 * endpoint's rate limit and in-flight bound are kept by one dispatcher.
 */
@ExtendWith(KafkaBrokerExtension.class)
class EndpointOwnerIT {
  private static final int TASK_PARTITIONS = 2;
  // Not the tasks topic's count: some endpoint's tier partition is then owned by the instance that
  // does not own its tasks partition, whichever way the group splits the partitions.
  private static final int TIER_PARTITIONS = 3;

  /** An attempt as the endpoint saw it: which instance made it. */
  private record Made(String instance, String endpointId, int attempt) {}

  private final List<Made> made = new CopyOnWriteArrayList<>();

  private final class Instance implements AutoCloseable {
    final String name;
    final DeliveryProducer producer;
    final DeliveryWorker worker;

    Instance(String name, Vertx vertx, KafkaSettings kafka, DeliveryEngineSettings settings, List<String> endpoints,
        List<String> topics) {
      this.name = name;
      MapDirectory directory = new MapDirectory();
      endpoints.forEach(id -> directory.put(new Endpoint(id, "https://" + id + ".example/hook", true, null, false, 2,
          Signer.NONE)));
      EndpointDirectories directories = new EndpointDirectories().register("webhook", directory);
      producer = new DeliveryProducer(kafka);
      producer.warmUp(topics);
      DeliveryOutcomes outcomes = new DeliveryOutcomes(producer, settings, directories, new FeedMetrics());
      // Two shards, as an instance on a machine with two cores has.
      DeliveryShards dispatcher = new DeliveryShards(vertx, 2, (context, index) -> new EndpointDispatcher(vertx, context, directories,
          (ctx, task, endpoint) -> {
            made.add(new Made(name, task.endpointId(), task.attempt()));
            // Each endpoint fails its first attempt once.
            int status = task.attempt() == 1 ? 500 : 200;
            return Future.succeededFuture(new AttemptResult(Instant.now(), status, 1, "answer " + status, null, null,
                false));
          }, outcomes, settings));
      try {
        dispatcher.start().toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("the dispatcher shards did not start", e);
      }
      worker = new DeliveryWorker(kafka, settings, dispatcher, () -> true, outcomes, producer, new FeedMetrics());
      worker.start();
    }

    @Override
    public void close() {
      worker.close();
      producer.close();
    }
  }

  @Test
  void aRetryReleasedByAnotherInstancesTierIsAttemptedByTheEndpointsOwnerOnceAndCommitted(KafkaBroker broker)
      throws Exception {
    String suffix = UUID.randomUUID().toString();
    Map<String, String> values = new HashMap<>();
    values.put("kafka.bootstrap.servers", broker.bootstrapServers());
    values.put("topics.deliveries", "it-tasks-" + suffix);
    values.put("topics.deliveries.retry.prefix", "it-retry-" + suffix);
    values.put("topics.deliveries.dlq", "it-tasks-dlq-" + suffix);
    values.put("topics.delivery.attempts", "it-attempts-" + suffix);
    values.put("webhook.group.prefix", "it-owner-" + suffix);
    values.put("webhook.retry.schedule", "0s,1s");
    values.put("webhook.retry.jitter", "0");
    Config config = Config.of(values);
    KafkaSettings kafka = KafkaSettings.from(config);
    DeliveryEngineSettings settings = DeliveryEngineSettings.from(config);
    String tasks = settings.tasks().name();
    String tier = settings.retryTopic(Duration.ofSeconds(1));
    String group = settings.groupPrefix() + "-delivery";
    List<String> topics = List.of(tasks, tier, settings.attempts().name(), settings.deadLetter().name());
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(tasks, TASK_PARTITIONS, (short) 1),
          new NewTopic(tier, TIER_PARTITIONS, (short) 1), new NewTopic(settings.attempts().name(), 1, (short) 1),
          new NewTopic(settings.deadLetter().name(), 1, (short) 1))).all().get();

      List<String> endpoints = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        endpoints.add("sub_" + i);
      }
      Vertx vertx = Vertx.vertx();
      try (Instance a = new Instance("a", vertx, kafka, settings, endpoints, topics);
          Instance b = new Instance("b", vertx, kafka, settings, endpoints, topics)) {
        Set<TopicPartition> all = new HashSet<>();
        for (int p = 0; p < TASK_PARTITIONS; p++) {
          all.add(new TopicPartition(tasks, p));
        }
        for (int p = 0; p < TIER_PARTITIONS; p++) {
          all.add(new TopicPartition(tier, p));
        }
        await("the group split the partitions between both instances", () -> {
          Set<TopicPartition> ofA = a.worker.assignment();
          Set<TopicPartition> ofB = b.worker.assignment();
          Set<TopicPartition> union = new HashSet<>(ofA);
          union.addAll(ofB);
          return !ofA.isEmpty() && !ofB.isEmpty() && union.equals(all) && ofA.size() + ofB.size() == all.size();
        });
        Map<TopicPartition, String> owner = new HashMap<>();
        a.worker.assignment().forEach(tp -> owner.put(tp, a.name));
        b.worker.assignment().forEach(tp -> owner.put(tp, b.name));
        String crossingFound = null;
        String local = null;
        for (String id : endpoints) {
          String ofTasks = owner.get(new TopicPartition(tasks, EndpointOwnership.partitionOf(id, TASK_PARTITIONS)));
          String ofTier = owner.get(new TopicPartition(tier, EndpointOwnership.partitionOf(id, TIER_PARTITIONS)));
          if (!ofTasks.equals(ofTier) && crossingFound == null) {
            crossingFound = id;
          } else if (ofTasks.equals(ofTier) && local == null) {
            local = id;
          }
        }
        assertThat(crossingFound).as("an endpoint whose retry tier partition is the other instance's").isNotNull();
        String crossing = crossingFound;
        String crossingOwner = owner.get(new TopicPartition(tasks, EndpointOwnership.partitionOf(crossing,
            TASK_PARTITIONS)));
        List<String> tried = local == null ? List.of(crossing) : List.of(crossing, local);

        DeliveryQueue queue = new DeliveryQueue(a.producer, settings);
        Future.all(tried.stream().map(id -> queue.enqueue(DeliveryTask.first("webhook", id, "msg_" + id, Map.of(),
            Instant.now(), DeliveryTask.JSON, Map.of(), "{}".getBytes(), System.currentTimeMillis(), -1, -1)))
            .toList()).await();

        await("every endpoint got its retry", () -> tried.stream().allMatch(id -> made.stream()
            .anyMatch(m -> m.endpointId().equals(id) && m.attempt() == 2)));
        await("every offset of the group committed up to the end", () -> caughtUp(admin, group, all));

        assertThat(made.stream().filter(m -> m.endpointId().equals(crossing)))
            .as("both attempts by the owner of the endpoint's tasks partition, none twice")
            .containsExactly(new Made(crossingOwner, crossing, 1), new Made(crossingOwner, crossing, 2));
        List<ConsumerRecord<String, byte[]>> taskRecords = TopicReader.read(broker.bootstrapServers(), tasks,
            tried.size() + 1, Duration.ofSeconds(10));
        assertThat(taskRecords.stream().filter(r -> r.key().equals(crossing))
            .map(r -> TaskCodec.decode(r.value()).attempt()))
            .as("the first attempt, and the retry handed over to the owner").containsExactly(1, 2);
        if (local != null) {
          String localId = local;
          String localOwner = owner.get(new TopicPartition(tasks, EndpointOwnership.partitionOf(local,
              TASK_PARTITIONS)));
          assertThat(made.stream().filter(m -> m.endpointId().equals(localId)))
              .containsExactly(new Made(localOwner, localId, 1), new Made(localOwner, localId, 2));
          assertThat(taskRecords.stream().filter(r -> r.key().equals(localId)))
              .as("a retry its own tier released is attempted without a hand-over").hasSize(1);
        }
        assertThat(TopicReader.read(broker.bootstrapServers(), settings.deadLetter().name(), 1,
            Duration.ofSeconds(1))).isEmpty();
      } finally {
        vertx.close().await();
      }
    }
  }

  @Test
  void theOwnedPartitionOfAnEndpointIsWhereTheEnginesProducerWritesItsTasks(KafkaBroker broker) throws Exception {
    String topic = "it-keys-" + UUID.randomUUID();
    int partitions = 7;
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }
    KafkaSettings kafka = KafkaSettings.from(Config.of(Map.of("kafka.bootstrap.servers", broker.bootstrapServers())));
    try (DeliveryProducer producer = new DeliveryProducer(kafka)) {
      producer.warmUp(List.of(topic));
      List<String> keys = new ArrayList<>(List.of("sub_1", "Zhongyuan 中原区", "https://aggregator.example/cb?x=1"));
      for (int i = 0; i < 40; i++) {
        keys.add("sub_" + UUID.randomUUID().toString().replace("-", ""));
      }
      for (String key : keys) {
        assertThat(producer.send(topic, key, new byte[1]).await().partition()).as(key)
            .isEqualTo(EndpointOwnership.partitionOf(key, partitions));
      }
    }
  }

  /** The group's committed offset of every partition is its end offset. */
  private static boolean caughtUp(Admin admin, String group, Set<TopicPartition> partitions) {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
      var ends = admin.listOffsets(latest).all().get();
      for (TopicPartition tp : partitions) {
        long end = ends.get(tp).offset();
        OffsetAndMetadata c = committed.get(tp);
        if (end > 0 && (c == null || c.offset() < end)) {
          return false;
        }
      }
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
