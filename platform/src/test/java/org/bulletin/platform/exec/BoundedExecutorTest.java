package org.bulletin.platform.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BoundedExecutorTest {

  @Test
  void refusesWorkWhenFullAndCountsIt() throws Exception {
    Vertx vertx = Vertx.vertx();
    CountDownLatch release = new CountDownLatch(1);
    try (BoundedExecutor executor = new BoundedExecutor("test-pool", 1, 1)) {
      var context = vertx.getOrCreateContext();
      Future<String> running = executor.submit(context, () -> {
        release.await(10, TimeUnit.SECONDS);
        return "first";
      });
      Future<String> queued = executor.submit(context, () -> "second");
      Future<String> refused = executor.submit(context, () -> "third");

      assertThat(refused.failed()).isTrue();
      assertThat(refused.cause()).isInstanceOf(OverloadedException.class).hasMessageContaining("test-pool");
      assertThat(executor.rejectedCount()).isEqualTo(1);

      release.countDown();
      assertThat(running.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo("first");
      assertThat(queued.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo("second");
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void completesOnTheCallersContextThread() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (BoundedExecutor executor = new BoundedExecutor("ctx-pool", 1, 4)) {
      var context = vertx.getOrCreateContext();
      CountDownLatch done = new CountDownLatch(1);
      String[] threads = new String[2];
      context.runOnContext(v -> {
        threads[0] = Thread.currentThread().getName();
        executor.submit(context, () -> Thread.currentThread().getName()).onComplete(ar -> {
          threads[1] = Thread.currentThread().getName();
          assertThat(ar.result()).startsWith("ctx-pool-");
          done.countDown();
        });
      });
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(threads[1]).isEqualTo(threads[0]);
    } finally {
      vertx.close().await();
    }
  }
}
