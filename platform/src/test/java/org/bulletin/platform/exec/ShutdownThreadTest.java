package org.bulletin.platform.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ShutdownThreadTest {
  @Test
  void runsTheWorkOnANamedThreadOfItsOwn() throws Exception {
    AtomicReference<String> thread = new AtomicReference<>();
    ShutdownThread.run("test-shutdown", () -> thread.set(Thread.currentThread().getName()))
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(thread.get()).isEqualTo("test-shutdown");
  }

  @Test
  void aCleanUpThatThrowsFailsTheFutureInsteadOfLeavingItPending() {
    var future = ShutdownThread.run("test-shutdown", () -> {
      throw new IllegalStateException("producer already closed");
    }).toCompletionStage().toCompletableFuture();
    try {
      future.get(5, TimeUnit.SECONDS);
      throw new AssertionError("completed although the work threw");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).hasMessage("producer already closed");
    } catch (Exception e) {
      throw new AssertionError("did not complete", e);
    }
  }
}
