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
  private static final TopicPartition P0 = new TopicPartition("tasks", 0);

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

  @Test
  void aFreshDispatcherGrantsNoBurstItsNthAttemptComesNoEarlierThanNTimesTheInterval() throws Exception {
    EndpointDispatcher dispatcher = dispatcher();
    int tasks = 4;
    long start = System.nanoTime();
    context.runOnContext(v -> {
      for (int i = 0; i < tasks; i++) {
        dispatcher.submit(Tasks.webhook("msg_" + i, "sub_1", "evt-" + i, "report.published", "r-" + i,
            Instant.now(), "{}", 1, 0, 0, i), P0, () -> { });
      }
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (attemptedAt.size() < tasks) {
      assertThat(System.nanoTime()).as("every task attempted").isLessThan(deadline);
      Thread.sleep(20);
    }
    long interval = TimeUnit.SECONDS.toNanos(1) / PER_SECOND;
    for (int n = 1; n <= tasks; n++) {
      // A bucket that started full would have let PER_SECOND attempts through at once.
      assertThat(attemptedAt.get(n - 1) - start).as("attempt " + n).isGreaterThanOrEqualTo(n * interval);
    }
  }
}
