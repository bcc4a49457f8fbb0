package org.bulletin.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionWatchTest {
  private static final String TOPIC = "reports";
  private final AtomicLong now = new AtomicLong();
  private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
  private final PartitionWatch watch = new PartitionWatch(TOPIC, Duration.ofSeconds(30), now::get);

  private static TopicPartition tp(int p) {
    return new TopicPartition(TOPIC, p);
  }

  private void partitions(int count) {
    Node node = new Node(0, "localhost", 9092);
    consumer.updatePartitions(TOPIC, IntStream.range(0, count)
        .mapToObj(p -> new PartitionInfo(TOPIC, p, node, new Node[] {node}, new Node[] {node})).toList());
  }

  @Test
  void newPartitionsAreAssignedBesideTheOldOnesAndReadFromTheBeginning() {
    partitions(1);
    consumer.assign(List.of(tp(0)));
    consumer.updateBeginningOffsets(Map.of(tp(0), 0L, tp(1), 0L, tp(2), 0L));
    consumer.seek(tp(0), 42);
    watch.assigned(List.of(tp(0)));
    partitions(3);

    now.addAndGet(Duration.ofSeconds(30).toNanos());
    assertThat(watch.addNew(consumer)).containsExactly(tp(1), tp(2));

    assertThat(consumer.assignment()).containsExactlyInAnyOrder(tp(0), tp(1), tp(2));
    assertThat(consumer.position(tp(0))).as("the old partition keeps its place").isEqualTo(42);
    assertThat(consumer.position(tp(1))).isZero();
    assertThat(watch.partitions()).containsExactly(tp(0), tp(1), tp(2));
  }

  @Test
  void looksAtMostOncePerInterval() {
    partitions(1);
    consumer.assign(List.of(tp(0)));
    watch.assigned(List.of(tp(0)));
    partitions(2);
    consumer.updateBeginningOffsets(Map.of(tp(1), 0L));

    now.addAndGet(Duration.ofSeconds(29).toNanos());
    assertThat(watch.addNew(consumer)).isEmpty();
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(watch.addNew(consumer)).containsExactly(tp(1));
    now.addAndGet(Duration.ofSeconds(30).toNanos());
    assertThat(watch.addNew(consumer)).as("nothing new").isEmpty();
  }

  @Test
  void aFailedLookupIsTriedAgainAtTheNextInterval() {
    MockConsumer<String, byte[]> down = new MockConsumer<>("earliest") {
      @Override
      public List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
        throw new org.apache.kafka.common.errors.TimeoutException("Kafka does not answer");
      }
    };
    watch.assigned(List.of(tp(0)));
    now.addAndGet(Duration.ofSeconds(30).toNanos());
    assertThat(watch.addNew(down)).isEmpty();
    assertThat(watch.partitions()).containsExactly(tp(0));

    partitions(2);
    consumer.assign(List.of(tp(0)));
    consumer.updateBeginningOffsets(Map.of(tp(1), 0L));
    assertThat(watch.addNew(consumer)).as("not before the next interval").isEmpty();
    now.addAndGet(Duration.ofSeconds(30).toNanos());
    assertThat(watch.addNew(consumer)).containsExactly(tp(1));
  }

  @Test
  void theConsumersMetadataIsNoOlderThanTheInterval() {
    assertThat(watch.metadataMaxAgeMs()).isEqualTo(30_000);
  }
}
