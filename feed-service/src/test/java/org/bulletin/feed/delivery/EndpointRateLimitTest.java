package org.bulletin.feed.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.bulletin.feed.metrics.FeedMetrics;
import org.bulletin.platform.config.Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The token bucket of a rate-limited endpoint on a dispatcher that has just started (an instance
 * after a restart, or the new owner of a moved partition): it starts empty, so a restart or a
 * partition move never grants a burst on top of what the endpoint got just before.
 */
class EndpointRateLimitTest {
  private static final int PER_SECOND = 5;
  private static final TopicPartition P0 =
      new TopicPartition(DeliveryEngineSettings.from(Config.of(Map.of())).tasks().name(), 0);

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final MapDirectory directory = new MapDirectory();
  private final List<Long> attemptedAt = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private EndpointDispatcher dispatcher() {
    DeliveryEngineSettings settings = DeliveryEngineSettings.from(Config.of(Map.of()));
    EndpointDirectories directories = new EndpointDirectories().register("webhook", directory);
    directory.put(new Endpoint("sub_1", "https://a.example/hook", true, null, false, PER_SECOND, Signer.NONE));
    return new EndpointDispatcher(vertx, context, directories, (ctx, task, endpoint) -> {
      attemptedAt.add(System.nanoTime());
      return Future.succeededFuture(new AttemptResult(Instant.now(), 200, 1, "ok", null, null, false));
    }, new DeliveryOutcomes(new FakeSender(), settings, directories, new FeedMetrics()), settings);
  }

  private void submit(EndpointDispatcher dispatcher, int from, int count) {
    context.runOnContext(v -> {
      for (int i = from; i < from + count; i++) {
        dispatcher.submit(Tasks.webhook("msg_" + i, "sub_1", "evt-" + i, "report.published", "r-" + i,
            Instant.now(), "{}", 1, 0, 0, i), P0, () -> { });
      }
    });
  }

  private void awaitAttempts(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (attemptedAt.size() < count) {
      assertThat(System.nanoTime()).as("every task attempted").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  /** The n-th of these attempts came no earlier than n intervals after {@code start}: no burst. */
  private void assertNoBurst(List<Long> attempts, long start) {
    long interval = TimeUnit.SECONDS.toNanos(1) / PER_SECOND;
    for (int n = 1; n <= attempts.size(); n++) {
      assertThat(attempts.get(n - 1) - start).as("attempt " + n).isGreaterThanOrEqualTo(n * interval);
    }
  }

  @Test
  void aFreshDispatcherGrantsNoBurstItsNthAttemptComesNoEarlierThanNTimesTheInterval() throws Exception {
    EndpointDispatcher dispatcher = dispatcher();
    long start = System.nanoTime();
    // A bucket that started full would let PER_SECOND attempts through at once.
    submit(dispatcher, 0, 4);
    awaitAttempts(4);
    assertNoBurst(attemptedAt, start);
  }

  @Test
  void anEndpointWhoseTasksPartitionCameBackGetsNoBurstSavedWhileItWasAway() throws Exception {
    EndpointDispatcher dispatcher = dispatcher();
    submit(dispatcher, 0, 1);
    awaitAttempts(1);
    // Idle for over a second: the bucket fills to a second's worth of attempts.
    Thread.sleep(1_200);
    long start = System.nanoTime();
    // The tasks partition moved away (and back): another instance attempted the endpoint meanwhile.
    assertThat(dispatcher.dropQueued(List.of(P0))).isZero();
    submit(dispatcher, 1, 3);
    awaitAttempts(4);
    assertNoBurst(attemptedAt.subList(1, 4), start);
  }
}
