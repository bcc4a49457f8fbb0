package org.bulletin.feed.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bulletin.platform.config.Config;
import org.bulletin.platform.config.KafkaSettings;
import org.bulletin.platform.kafka.ConsumerThread;
import org.junit.jupiter.api.Test;

class FanOutConsumerTest {
  private final Config config = Config.of(Map.of("kafka.bootstrap.servers", "127.0.0.1:1"));
  private final KafkaSettings kafka = KafkaSettings.from(config);
  private final TopicPartition tp = new TopicPartition(kafka.reports().name(), 0);

  /** Every run gets a consumer that is handed the same three records (its committed offsets say 0). */
  private final class MockClients implements FanOutConsumer.Clients {
    final List<MockConsumer<String, byte[]>> consumers = new CopyOnWriteArrayList<>();
    final List<MockProducer<String, byte[]>> producers = new CopyOnWriteArrayList<>();
    final List<RuntimeException> commitFailures;

    MockClients(RuntimeException... commitFailures) {
      this.commitFailures = new CopyOnWriteArrayList<>(List.of(commitFailures));
    }

    @Override
    public Consumer<String, byte[]> consumer(Map<String, Object> config) {
      MockConsumer<String, byte[]> c = new MockConsumer<>("earliest");
      c.updateBeginningOffsets(Map.of(tp, 0L));
      c.schedulePollTask(() -> {
        c.rebalance(List.of(tp));
        for (int offset = 0; offset < 3; offset++) {
          c.addRecord(new ConsumerRecord<>(tp.topic(), 0, offset, "r" + offset, "{}".getBytes(StandardCharsets.UTF_8)));
        }
      });
      consumers.add(c);
      return c;
    }

    @Override
    public Producer<String, byte[]> producer(Map<String, Object> config) {
      MockProducer<String, byte[]> p = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
      if (!commitFailures.isEmpty()) {
        p.commitTransactionException = commitFailures.remove(0);
      }
      producers.add(p);
      return p;
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void aCommitThatTimesOutIsNotAbortedTheLoopStartsOverWithNewClientsFromTheCommittedOffsets() throws Exception {
    // The broker stalled longer than the transaction's timeout: commitTransaction() times out.
    MockClients clients = new MockClients(new TimeoutException("Timeout expired after 60000ms while awaiting EndTxn"));
    FanOutConsumer fanOut = new FanOutConsumer(kafka, WebhookSettings.from(config), new SubscriptionStore(),
        () -> true, clients);
    fanOut.start();
    try {
      await("a second run commits the batch", () -> clients.producers.size() == 2
          && clients.producers.get(1).transactionCommitted());
      MockProducer<String, byte[]> first = clients.producers.get(0);
      assertThat(first.transactionAborted()).as("abortTransaction() after a timed-out commit throws").isFalse();
      assertThat(first.closed()).isTrue();
      assertThat(clients.consumers.get(0).closed()).isTrue();
      assertThat(clients.producers.get(1).transactionInitialized()).isTrue();
      assertThat(clients.producers.get(1).consumerGroupOffsetsHistory()).hasSize(1);
      Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = clients.producers.get(1)
          .consumerGroupOffsetsHistory().get(0);
      assertThat(committed.values().iterator().next()).containsEntry(tp, new OffsetAndMetadata(3));
      assertThat(fanOut.restarts()).isEqualTo(1);
      await("running", () -> fanOut.health().state() == ConsumerThread.State.RUNNING);
    } finally {
      fanOut.close();
    }
  }
}
