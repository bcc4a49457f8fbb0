package org.bulletin.feed.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bulletin.platform.config.Config;
import org.bulletin.platform.config.KafkaSettings;
import org.bulletin.platform.kafka.ConsumerThread;
import org.bulletin.schema.CloudEventCodec;
import org.bulletin.schema.MeetingReport;
import org.bulletin.schema.ReportEvent;
import org.junit.jupiter.api.Test;

class FanOutConsumerTest {
  private final Config config = Config.of(Map.of("kafka.bootstrap.servers", "127.0.0.1:1"));
  private final KafkaSettings kafka = KafkaSettings.from(config);
  private final WebhookSettings settings = WebhookSettings.from(config);
  private final TopicPartition tp = new TopicPartition(kafka.reports().name(), 0);
  private final SubscriptionStore store = new SubscriptionStore();

  FanOutConsumerTest() {
    Instant at = Instant.parse("2020-01-01T00:00:00Z");
    store.apply("sub_1", new Subscription("sub_1", null, "https://example.test/hook", null,
        new Subscription.Filters(null, null, null), true, null, false,
        List.of(new Subscription.SigningSecret("secret", null)), null, at, at));
  }

  /**
   * Every run gets a consumer handed the same three report events (its committed offsets say
   * 0) and a producer that acknowledges only when the test says so.
   */
  private final class MockClients implements FanOutConsumer.Clients {
    final List<MockConsumer<String, byte[]>> consumers = new CopyOnWriteArrayList<>();
    final List<MockProducer<String, byte[]>> producers = new CopyOnWriteArrayList<>();
    /** The offsets each run's consumer committed, by run. */
    final List<List<Map<TopicPartition, OffsetAndMetadata>>> commits = new CopyOnWriteArrayList<>();

    @Override
    public Consumer<String, byte[]> consumer(Map<String, Object> config) {
      List<Map<TopicPartition, OffsetAndMetadata>> mine = new CopyOnWriteArrayList<>();
      commits.add(mine);
      MockConsumer<String, byte[]> c = new MockConsumer<>("earliest") {
        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
          mine.add(Map.copyOf(offsets));
          super.commitAsync(offsets, callback);
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
          mine.add(Map.copyOf(offsets));
          super.commitSync(offsets, timeout);
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
          mine.add(Map.copyOf(offsets));
          super.commitSync(offsets);
        }
      };
      c.updateBeginningOffsets(Map.of(tp, 0L));
      c.updatePartitions(settings.subscriptions().name(), List.of());
      c.schedulePollTask(() -> {
        c.rebalance(List.of(tp));
        for (int offset = 0; offset < 3; offset++) {
          c.addRecord(event(offset));
        }
      });
      consumers.add(c);
      return c;
    }

    @Override
    public Producer<String, byte[]> producer(Map<String, Object> config) {
      MockProducer<String, byte[]> p = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
      producers.add(p);
      return p;
    }
  }

  private ConsumerRecord<String, byte[]> event(int offset) {
    MeetingReport r = new MeetingReport("report-" + offset, "Title " + offset, LocalDate.of(2024, 1, 1), null,
        "Erqi", null, null, null, null, List.of("Body"), null, List.of("water"), "en");
    ProducerRecord<String, byte[]> p = new CloudEventCodec().encode(tp.topic(),
        ReportEvent.published(r, Instant.parse("2024-01-02T00:00:00Z"), "test"));
    return new ConsumerRecord<>(tp.topic(), 0, offset, System.currentTimeMillis(), TimestampType.CREATE_TIME,
        -1, -1, p.key(), p.value(), p.headers(), java.util.Optional.empty());
  }

  private static String messageId(ProducerRecord<String, byte[]> task) {
    return new io.vertx.core.json.JsonObject(new String(task.value(), java.nio.charset.StandardCharsets.UTF_8))
        .getString("messageId");
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  /** The newest offset of {@code tp} the given run committed, or null. */
  private OffsetAndMetadata committed(MockClients clients, int run) {
    List<Map<TopicPartition, OffsetAndMetadata>> mine = clients.commits.get(run);
    OffsetAndMetadata last = null;
    for (Map<TopicPartition, OffsetAndMetadata> m : mine) {
      last = m.getOrDefault(tp, last);
    }
    return last;
  }

  @Test
  void anEventsOffsetIsCommittedOnlyOnceEveryTaskOfItsPollIsAcknowledged() throws Exception {
    MockClients clients = new MockClients();
    FanOutConsumer fanOut = new FanOutConsumer(kafka, settings, store, () -> true, clients);
    fanOut.start();
    try {
      await("three tasks sent", () -> !clients.producers.isEmpty() && clients.producers.get(0).history().size() == 3);
      MockProducer<String, byte[]> producer = clients.producers.get(0);
      assertThat(producer.history()).allMatch(r -> r.topic().equals(settings.tasks().name()) && r.key().equals("sub_1"));
      Thread.sleep(300); // several turns of the loop, none of which may commit
      assertThat(committed(clients, 0)).as("nothing acknowledged yet").isNull();
      producer.completeNext();
      producer.completeNext();
      Thread.sleep(300);
      assertThat(committed(clients, 0)).as("one task still unacknowledged").isNull();
      producer.completeNext();
      await("offset 3 committed", () -> new OffsetAndMetadata(3).equals(committed(clients, 0)));
      assertThat(fanOut.restarts()).isZero();
    } finally {
      fanOut.close();
    }
  }

  @Test
  void aFailedSendEndsTheRunAndTheNextRunWritesTheEventsAgainFromTheCommittedOffsets() throws Exception {
    MockClients clients = new MockClients();
    FanOutConsumer fanOut = new FanOutConsumer(kafka, settings, store, () -> true, clients);
    fanOut.start();
    try {
      await("three tasks sent", () -> !clients.producers.isEmpty() && clients.producers.get(0).history().size() == 3);
      MockProducer<String, byte[]> first = clients.producers.get(0);
      first.completeNext();
      first.errorNext(new TimeoutException("Expiring 1 record(s): 120000 ms has passed since batch creation"));
      first.completeNext();
      await("a second run sends the tasks again", () -> clients.producers.size() == 2
          && clients.producers.get(1).history().size() == 3);
      assertThat(first.closed()).isTrue();
      assertThat(clients.consumers.get(0).closed()).isTrue();
      assertThat(committed(clients, 0)).as("a failed poll commits nothing").isNull();
      assertThat(clients.producers.get(1).history()).extracting(FanOutConsumerTest::messageId)
          .as("the same tasks (same webhook ids) again")
          .containsExactlyElementsOf(first.history().stream().map(FanOutConsumerTest::messageId).toList())
          .doesNotContainNull();
      assertThat(fanOut.restarts()).isEqualTo(1);
      MockProducer<String, byte[]> second = clients.producers.get(1);
      while (second.completeNext()) {
        // acknowledges every task of the second run
      }
      await("offset 3 committed by the second run",
          () -> new OffsetAndMetadata(3).equals(committed(clients, 1)));
      await("running", () -> fanOut.health().state() == ConsumerThread.State.RUNNING);
    } finally {
      fanOut.close();
    }
  }

  @Test
  void aRevokedPartitionIsCommittedAtItsAcknowledgedOffsetBeforeItMovesAndNeverAfter() throws Exception {
    MockClients clients = new MockClients();
    FanOutConsumer fanOut = new FanOutConsumer(kafka, settings, store, () -> true, clients);
    fanOut.start();
    try {
      await("three tasks sent", () -> !clients.producers.isEmpty() && clients.producers.get(0).history().size() == 3);
      MockConsumer<String, byte[]> consumer = clients.consumers.get(0);
      assertThat(committed(clients, 0)).as("nothing acknowledged yet").isNull();
      consumer.schedulePollTask(() -> consumer.rebalance(List.of())); // the partition moves to another member
      await("offset 3 committed as the partition is revoked", () -> new OffsetAndMetadata(3).equals(committed(clients, 0)));
      int commits = clients.commits.get(0).size();
      Thread.sleep(300); // several turns of the loop: nothing more of the revoked partition is committed
      assertThat(clients.commits.get(0).subList(commits, clients.commits.get(0).size()))
          .allSatisfy(m -> assertThat(m).doesNotContainKey(tp));
      assertThat(fanOut.restarts()).isZero();
    } finally {
      fanOut.close();
    }
  }
}
