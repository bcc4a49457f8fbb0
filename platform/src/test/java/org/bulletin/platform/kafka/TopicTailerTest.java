package org.bulletin.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.bulletin.platform.config.Config;
import org.bulletin.platform.config.KafkaSettings;
import org.junit.jupiter.api.Test;

class TopicTailerTest {
  private final TopicPartition tp = new TopicPartition("subs", 0);
  private final List<MockConsumer<String, byte[]>> consumers = new CopyOnWriteArrayList<>();
  private final List<Long> seenOffsets = new CopyOnWriteArrayList<>();

  private MockConsumer<String, byte[]> consumer(Map<String, Object> config) {
    MockConsumer<String, byte[]> c = new MockConsumer<>("earliest");
    Node node = new Node(0, "localhost", 9092);
    c.updatePartitions("subs", List.of(new PartitionInfo("subs", 0, node, new Node[] {node}, new Node[] {node})));
    c.updateBeginningOffsets(Map.of(tp, 0L));
    c.updateEndOffsets(Map.of(tp, 5L));
    int run = consumers.size();
    consumers.add(c);
    c.schedulePollTask(() -> {
      // Whatever the broker has from the position the tailer asked for.
      for (long offset = c.position(tp); offset < (run == 0 ? 3 : 5); offset++) {
        c.addRecord(new ConsumerRecord<>("subs", 0, offset, "k" + offset, new byte[] {1}));
      }
    });
    if (run == 0) {
      c.schedulePollTask(() -> {
        throw new TimeoutException("Timeout of 60000ms expired before the position could be determined");
      });
    }
    return c;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void afterAKafkaTimeoutTheTailerGoesOnAfterTheLastRecordPassedOnWithANewConsumer() throws Exception {
    TopicTailer tailer = new TopicTailer(KafkaSettings.from(Config.of(Map.of())), "subs",
        r -> seenOffsets.add(r.offset()), this::consumer);
    tailer.start();
    try {
      await("caught up after the restart", () -> tailer.isCaughtUp() && seenOffsets.size() >= 5);
      assertThat(seenOffsets).containsExactly(0L, 1L, 2L, 3L, 4L);
      assertThat(tailer.restarts()).isEqualTo(1);
      assertThat(consumers.get(0).closed()).isTrue();
    } finally {
      tailer.close();
    }
  }

  @Test
  void aPartitionAddedToTheTopicIsReadFromTheBeginning() throws Exception {
    TopicPartition added = new TopicPartition("subs", 1);
    Node node = new Node(0, "localhost", 9092);
    MockConsumer<String, byte[]> c = new MockConsumer<>("earliest");
    c.updatePartitions("subs", List.of(new PartitionInfo("subs", 0, node, new Node[] {node}, new Node[] {node})));
    c.updateBeginningOffsets(Map.of(tp, 0L, added, 0L));
    c.updateEndOffsets(Map.of(tp, 1L, added, 2L));
    c.schedulePollTask(() -> c.addRecord(new ConsumerRecord<>("subs", 0, 0L, "k0", new byte[] {1})));
    List<String> seen = new CopyOnWriteArrayList<>();
    TopicTailer tailer = new TopicTailer(KafkaSettings.from(Config.of(Map.of("consumer.partitions.refresh.seconds", "1"))),
        "subs", r -> seen.add(r.partition() + "/" + r.offset()), config -> c);
    tailer.start();
    try {
      await("the first partition", () -> tailer.isCaughtUp() && seen.size() == 1);
      c.updatePartitions("subs", List.of(new PartitionInfo("subs", 0, node, new Node[] {node}, new Node[] {node}),
          new PartitionInfo("subs", 1, node, new Node[] {node}, new Node[] {node})));
      await("assigned the new partition", () -> c.assignment().contains(added));
      c.schedulePollTask(() -> {
        c.addRecord(new ConsumerRecord<>("subs", 1, 0L, "a", new byte[] {1}));
        c.addRecord(new ConsumerRecord<>("subs", 1, 1L, "b", new byte[] {1}));
      });
      await("records of the new partition", () -> seen.size() == 3);
      assertThat(seen).containsExactly("0/0", "1/0", "1/1");
    } finally {
      tailer.close();
    }
  }
}
