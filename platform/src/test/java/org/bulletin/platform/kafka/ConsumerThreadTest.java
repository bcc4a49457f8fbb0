package org.bulletin.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class ConsumerThreadTest {

  /** Fails on its first {@code failures} runs with {@code failure}, then polls until closed. */
  private static final class Scripted extends ConsumerThread {
    private final int failures;
    private final RuntimeException failure;
    private final Error error;
    final AtomicInteger runs = new AtomicInteger();
    final List<MockConsumer<String, String>> consumers = new CopyOnWriteArrayList<>();

    Scripted(int failures, RuntimeException failure, Error error) {
      super("test-consumer");
      this.failures = failures;
      this.failure = failure;
      this.error = error;
    }

    @Override
    protected void work() {
      int run = runs.incrementAndGet();
      MockConsumer<String, String> c = own(new MockConsumer<>("earliest"));
      consumers.add(c);
      try {
        if (error != null) {
          throw error;
        }
        if (run <= failures) {
          progress();
          throw failure;
        }
        while (running()) {
          c.poll(Duration.ofMillis(20));
          progress();
        }
      } finally {
        c.close();
      }
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
  void aFailingWorkLoopStartsAgainWithNewClientsAndCountsTheRestart() throws Exception {
    Scripted t = new Scripted(2, new TimeoutException("Timeout expired after 60000ms while awaiting EndTxn"), null);
    t.start();
    try {
      await("running again after two failures", () -> t.runs.get() == 3 && t.health().state() == ConsumerThread.State.RUNNING);
      assertThat(t.restarts()).isEqualTo(2);
      assertThat(t.consumers).hasSize(3);
      assertThat(t.consumers.subList(0, 2)).allMatch(MockConsumer::closed);
      assertThat(t.health().ok()).isTrue();
      assertThat(t.health().reason()).isNull();
    } finally {
      t.close();
    }
    assertThat(t.health().state()).isEqualTo(ConsumerThread.State.STOPPED);
    assertThat(t.consumers.get(2).closed()).isTrue();
  }

  @Test
  void whileBackingOffTheThreadReportsRecoveringWithTheReason() throws Exception {
    Scripted t = new Scripted(1, new IllegalStateException("Cannot attempt operation `abortTransaction` because the "
        + "previous call to `commitTransaction` timed out and must be retried"), null);
    t.start();
    try {
      await("recovering", () -> t.health().state() == ConsumerThread.State.RECOVERING);
      assertThat(t.health().reason()).contains("abortTransaction");
      assertThat(t.health().ok()).isFalse();
      assertThat(t.health().dead()).isFalse();
    } finally {
      t.close();
    }
  }

  @Test
  void anErrorIsNotRecoveredFromAndMarksTheThreadFailed() throws Exception {
    Scripted t = new Scripted(0, null, new OutOfMemoryError("Java heap space"));
    t.start();
    try {
      await("failed", () -> t.health().state() == ConsumerThread.State.FAILED);
      Thread.sleep(700); // longer than the first backoff: it must not have started again
      assertThat(t.runs.get()).isEqualTo(1);
      assertThat(t.health().dead()).isTrue();
      assertThat(t.health().reason()).contains("OutOfMemoryError").contains("Java heap space");
    } finally {
      t.close();
    }
    assertThat(t.health().state()).as("closing does not hide the failure").isEqualTo(ConsumerThread.State.FAILED);
  }

  @Test
  void aThreadWithoutProgressIsReportedStalled() throws Exception {
    ConsumerThread t = new ConsumerThread("stuck") {
      @Override
      protected void work() throws InterruptedException {
        progress();
        while (running()) {
          pause(1000); // stuck somewhere, never polling again
        }
      }
    };
    t.stallAfter(Duration.ofMillis(200));
    t.start();
    try {
      await("stalled", () -> t.health().state() == ConsumerThread.State.STALLED);
      assertThat(t.health().dead()).isTrue();
      assertThat(t.health().reason()).startsWith("no progress for");
    } finally {
      t.close();
    }
  }

  @Test
  void aThreadStuckStartingIsNotReadyAfterTheBoundAndSaysWhy() throws Exception {
    ConsumerThread t = new ConsumerThread("never-polls") {
      @Override
      protected void work() throws InterruptedException {
        while (running()) {
          pause(1000); // waiting for something that never comes, before its first poll
        }
      }
    };
    t.stallAfter(Duration.ofMillis(200));
    t.start();
    try {
      await("reported", () -> !t.health().ok());
      assertThat(t.health().state()).isEqualTo(ConsumerThread.State.STARTING);
      assertThat(t.health().reason()).startsWith("still starting after");
      assertThat(t.health().dead()).as("a broker unreachable since the start looks the same").isFalse();
    } finally {
      t.close();
    }
  }

  @Test
  void aThreadRecoveringLongerThanTheBoundSaysHowLongAndWhy() throws Exception {
    ConsumerThread t = new ConsumerThread("keeps-failing") {
      @Override
      protected void work() {
        throw new TimeoutException("Timeout of 60000ms expired before the position could be determined");
      }
    };
    t.stallAfter(Duration.ofMillis(300));
    t.start();
    try {
      await("recovering for long", () -> t.health().reason() != null
          && t.health().reason().startsWith("recovering for"));
      assertThat(t.health().state()).isEqualTo(ConsumerThread.State.RECOVERING);
      assertThat(t.health().reason()).contains("position could be determined");
      assertThat(t.health().ok()).isFalse();
    } finally {
      t.close();
    }
  }

  @Test
  void aThreadStartingWithinTheBoundIsOk() {
    ConsumerThread t = new ConsumerThread("not-started") {
      @Override
      protected void work() {}
    };
    assertThat(t.health().state()).isEqualTo(ConsumerThread.State.STARTING);
    assertThat(t.health().ok()).isTrue();
  }
}
