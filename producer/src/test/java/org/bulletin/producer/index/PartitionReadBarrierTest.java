package org.bulletin.producer.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.bulletin.platform.exec.BoundedExecutor;
import org.bulletin.platform.exec.OverloadedException;
import org.bulletin.platform.kafka.KafkaUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PartitionReadBarrierTest {
  private final Vertx vertx = Vertx.vertx();
  private final BoundedExecutor executor = new BoundedExecutor("test-barrier", 1, 1);
  private final Map<Integer, Long> positions = new ConcurrentHashMap<>();

  @AfterEach
  void close() {
    executor.shutdownNow();
    vertx.close().await();
  }

  private PartitionReadBarrier barrier(EndOffsets endOffsets, long timeoutMs) {
    return new PartitionReadBarrier(vertx, endOffsets, p -> positions.getOrDefault(p, -1L), executor, timeoutMs);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void waitsUntilTheReaderPassedTheEndOfTheReportsPartitionAsItWasWhenAsked() throws Exception {
    positions.put(0, 100L);
    positions.put(2, 6L);
    Future<Void> passed = barrier((id, timeout) -> new PartitionEnd(2, 7), 60_000).await("erqi-1");
    // Another partition far ahead does not count; partition 2 is one record short.
    assertThat(passed.isComplete()).isFalse();

    positions.put(2, 7L);

    await(passed);
    assertThat(passed.succeeded()).isTrue();
  }

  @Test
  void completesAtOnceWhenTheReaderIsAlreadyPastTheEnd() throws Exception {
    positions.put(1, 9L);
    Future<Void> passed = barrier((id, timeout) -> new PartitionEnd(1, 9), 60_000).await("erqi-1");

    await(passed);
    assertThat(passed.succeeded()).isTrue();
  }

  @Test
  void failsAsIndexBehindWhenTheReaderDoesNotReachTheEndInTime() {
    positions.put(0, 3L);
    Future<Void> passed = barrier((id, timeout) -> new PartitionEnd(0, 4), 200).await("erqi-1");

    assertThatThrownBy(() -> await(passed)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IndexBehindException.class);
  }

  @Test
  void anUnassignedPartitionIsNotPassedEvenAtOffsetZero() {
    Future<Void> passed = barrier((id, timeout) -> new PartitionEnd(3, 0), 200).await("erqi-1");

    assertThatThrownBy(() -> await(passed)).hasCauseInstanceOf(IndexBehindException.class);
  }

  @Test
  void kafkaNotAnsweringTheEndOffsetFailsAsKafkaUnavailable() {
    Future<Void> passed = barrier((id, timeout) -> {
      throw new KafkaUnavailableException("no answer", null);
    }, 60_000).await("erqi-1");

    assertThatThrownBy(() -> await(passed)).hasCauseInstanceOf(KafkaUnavailableException.class);
  }

  @Test
  void refusesAtOnceWhenTooManyWaitForAnEndOffset() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    EndOffsets stuck = (id, timeout) -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new PartitionEnd(0, 0);
    };
    PartitionReadBarrier barrier = barrier(stuck, 60_000);
    positions.put(0, 0L);
    Future<Void> running = barrier.await("a");
    Future<Void> queued = barrier.await("b");

    Future<Void> refused = barrier.await("c");

    assertThatThrownBy(() -> await(refused)).hasCauseInstanceOf(OverloadedException.class);
    release.countDown();
    await(running);
    await(queued);
  }

  @Test
  void picksThePartitionKafkasDefaultPartitionerPicksForTheKey() {
    for (String id : List.of("erqi-1", "2022-04-27-huiji-meeting", "a", "x-" + "y".repeat(120))) {
      for (int partitions : new int[] {1, 3, 7, 12}) {
        assertThat(AdminEndOffsets.partitionFor(id, partitions))
            .isEqualTo(BuiltInPartitioner.partitionForKey(id.getBytes(StandardCharsets.UTF_8), partitions));
      }
    }
  }
}
