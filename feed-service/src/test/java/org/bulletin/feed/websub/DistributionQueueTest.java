package org.bulletin.feed.websub;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.bulletin.feed.serve.CachedDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The distributor's pipeline: bounded hand-overs, failures counted and retried, readiness while failing. */
class DistributionQueueTest {
  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };
  private record Call(String path, String body, Promise<Void> answer) {}
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final DistributionQueue queue = new DistributionQueue(context,
      new DistributionQueue.Limits(2, Duration.ofMillis(200), Duration.ofMinutes(5)), (path, doc) -> {
        Promise<Void> p = Promise.promise();
        calls.add(new Call(path, doc.body().toString(StandardCharsets.UTF_8), p));
        return p.future();
      }, clock);

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private static CachedDocument doc(String body) {
    return CachedDocument.of(200, "application/atom+xml", body.getBytes(StandardCharsets.UTF_8), Instant.EPOCH);
  }

  private <T> T onContext(Supplier<T> action) throws Exception {
    CompletableFuture<T> f = new CompletableFuture<>();
    context.runOnContext(v -> f.complete(action.get()));
    return f.get(10, TimeUnit.SECONDS);
  }

  private void submit(String path, String body) throws Exception {
    onContext(() -> {
      queue.submit(path, doc(body));
      return null;
    });
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void atMostTheConfiguredChangesAreHandedOverAtOnceOnePerTopicAndTheNewestWaitingChangeWins() throws Exception {
    submit("/a", "a1");
    submit("/a", "a2");
    submit("/a", "a3");
    submit("/b", "b1");
    submit("/c", "c1");
    await("two hand-overs", () -> calls.size() == 2);
    assertThat(calls).extracting(Call::path).containsExactly("/a", "/b");

    calls.get(0).answer().complete();
    await("the newest change of /a", () -> calls.size() == 3);
    assertThat(calls.get(2).body()).isEqualTo("a3");
    calls.get(1).answer().complete();
    await("/c", () -> calls.size() == 4);
    assertThat(calls.get(3).path()).isEqualTo("/c");
    calls.get(2).answer().complete();
    calls.get(3).answer().complete();
    await("all handed over", () -> onContextSize() == 0);
    assertThat(calls).extracting(Call::body).containsExactlyInAnyOrder("a1", "b1", "c1", "a3");
  }

  @Test
  void anOlderDocumentArrivingLateNeverReplacesANewerOneWaiting() throws Exception {
    submit("/a", "a1");
    await("the first hand-over", () -> calls.size() == 1);
    onContext(() -> {
      queue.submit("/a", CachedDocument.of(200, "application/atom+xml", "a3".getBytes(StandardCharsets.UTF_8),
          Instant.EPOCH.plusSeconds(30)));
      // A takeover's lookup, started before a3 was rendered, completes only now.
      queue.submit("/a", CachedDocument.of(200, "application/atom+xml", "a2".getBytes(StandardCharsets.UTF_8),
          Instant.EPOCH.plusSeconds(20)));
      return null;
    });
    calls.get(0).answer().complete();
    await("the waiting change of /a", () -> calls.size() == 2);
    assertThat(calls.get(1).body()).isEqualTo("a3");
  }

  private int onContextSize() {
    try {
      return onContext(queue::size);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aFailedHandOverIsCountedRetriedAndTurnsReadinessDownOnlyAfterTheConfiguredTimeThenUpOnceItWorks()
      throws Exception {
    submit("/a", "a1");
    await("hand-over", () -> calls.size() == 1);
    calls.get(0).answer().fail("broker down");
    await("retried", () -> calls.size() == 2);
    assertThat(queue.failures()).isEqualTo(1);
    assertThat(calls.get(1).body()).isEqualTo("a1");
    assertThat(queue.problem()).as("not failing long yet").isNull();

    now = now.plus(Duration.ofMinutes(6));
    calls.get(1).answer().fail("broker down");
    await("retried again", () -> calls.size() == 3);
    assertThat(queue.failures()).isEqualTo(2);
    assertThat(queue.problem()).contains("WebSub distribution has been failing since 2026-01-01T00:00:00Z");

    calls.get(2).answer().complete();
    await("recovered", () -> queue.problem() == null);
    assertThat(onContextSize()).isZero();
  }

  @Test
  void aNewerChangeReplacesTheRetryOfAFailedOne() throws Exception {
    submit("/a", "a1");
    await("hand-over", () -> calls.size() == 1);
    calls.get(0).answer().fail("broker down");
    submit("/a", "a2");
    await("the newer change", () -> calls.size() == 2);
    calls.get(1).answer().complete();
    await("nothing left", () -> onContextSize() == 0);

    assertThat(calls).extracting(Call::body).containsExactly("a1", "a2");
  }

  @Test
  void aHandOverThatCannotBeMadeYetIsRetriedSoonWithoutCountingAsAFailure() throws Exception {
    submit("/a", "a1");
    await("hand-over", () -> calls.size() == 1);
    calls.get(0).answer().fail(new DistributionQueue.NotYetException("the WebSub subscriptions are not loaded yet"));
    now = now.plus(Duration.ofMinutes(10)); // however long the loading takes, it is not a failure
    await("retried", () -> calls.size() == 2);
    assertThat(calls.get(1).body()).isEqualTo("a1");
    assertThat(queue.failures()).isZero();
    assertThat(queue.problem()).isNull();
    calls.get(1).answer().complete();
    await("nothing left", () -> onContextSize() == 0);
  }
}
