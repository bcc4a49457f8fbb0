package org.bulletin.feed.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.bulletin.feed.metrics.FeedMetrics;
import org.bulletin.platform.config.Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EndpointDispatcherTest {
  private static final TopicPartition P0 = new TopicPartition("tasks", 0);
  private static final TopicPartition P1 = new TopicPartition("tasks", 1);

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final FakeSender sender = new FakeSender();
  private final MapDirectory store = new MapDirectory();
  /** Attempts made, in order; each waits until the test answers it. */
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<String> done = new CopyOnWriteArrayList<>();
  private DeliveryEngineSettings settings;
  private EndpointDispatcher dispatcher;

  private record Call(DeliveryTask task, Promise<AttemptResult> answer) {}

  private void start(Map<String, String> config, boolean ordered) {
    start(config, ordered, sender);
  }

  /** @param records where outcomes are written */
  private void start(Map<String, String> config, boolean ordered, RecordSender records) {
    settings = DeliveryEngineSettings.from(Config.of(config));
    EndpointDirectories directories = new EndpointDirectories().register("webhook", store);
    DeliveryOutcomes outcomes = new DeliveryOutcomes(records, settings, directories, new FeedMetrics());
    store.put(MapDirectory.endpoint("sub_1", "https://a.example/hook", ordered));
    dispatcher = new EndpointDispatcher(vertx, context, directories, (ctx, task, endpoint) -> {
      Promise<AttemptResult> p = Promise.promise();
      calls.add(new Call(task, p));
      return p.future();
    }, outcomes, settings);
  }

  @AfterEach
  void stop() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private static DeliveryTask task(int n) {
    return Tasks.webhook("msg_" + n, "sub_1", "evt-" + n, "report.published", "r-" + n, Instant.now(), "{}", 1,
        0, 0, n);
  }

  private <T> T onContext(Supplier<T> action) throws Exception {
    CompletableFuture<T> f = new CompletableFuture<>();
    context.runOnContext(v -> f.complete(action.get()));
    return f.get(10, TimeUnit.SECONDS);
  }

  private void submit(TopicPartition from, int n) throws Exception {
    onContext(() -> {
      dispatcher.submit(task(n), from, () -> done.add("msg_" + n));
      return null;
    });
  }

  private void answer(int call, int status) throws Exception {
    onContext(() -> {
      calls.get(call).answer().complete(new AttemptResult(Instant.now(), status, 3, "ok", null, null, false));
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

  /** Attempt records are acknowledged only when the test releases them; every other write at once. */
  private final List<Promise<org.apache.kafka.clients.producer.RecordMetadata>> heldRecords = new CopyOnWriteArrayList<>();

  private void startHoldingAttemptRecords(boolean ordered) {
    String attempts = DeliveryEngineSettings.from(Config.of(Map.of())).attempts().name();
    RecordSender holding = new RecordSender() {
      @Override
      public Future<org.apache.kafka.clients.producer.RecordMetadata> send(String topic, String key, byte[] value) {
        return sender.send(topic, key, value);
      }

      @Override
      public Future<org.apache.kafka.clients.producer.RecordMetadata> send(String topic, String key, byte[] value,
          List<org.apache.kafka.common.header.Header> headers) {
        if (!topic.equals(attempts)) {
          return sender.send(topic, key, value, headers);
        }
        Promise<org.apache.kafka.clients.producer.RecordMetadata> p = Promise.promise();
        heldRecords.add(p);
        return p.future();
      }
    };
    start(Map.of("webhook.max.in.flight.per.endpoint", "1", "webhook.retry.schedule", "0s,10s"), ordered, holding);
  }

  private void releaseRecords() throws Exception {
    onContext(() -> {
      heldRecords.forEach(p -> p.tryComplete(null));
      return null;
    });
  }

  @Test
  void anUnorderedEndpointsNextAttemptStartsWhileThePreviousOutcomeIsStillBeingRecorded() throws Exception {
    startHoldingAttemptRecords(false);
    submit(P0, 1);
    submit(P0, 2);
    await("first attempt", () -> calls.size() == 1);
    answer(0, 200);
    await("the second attempt, its one slot free once the first answer came", () -> calls.size() == 2);
    assertThat(done).as("the first task is not done before its outcome is durable").isEmpty();
    answer(1, 200);
    await("both done once their records are durable (one batch or two)", () -> {
      heldRecords.forEach(p -> context.runOnContext(v -> p.tryComplete(null)));
      return done.size() == 2;
    });
  }

  @Test
  void anOrderedEndpointsNextAttemptWaitsUntilThePreviousOutcomeIsDurable() throws Exception {
    startHoldingAttemptRecords(true);
    submit(P0, 1);
    submit(P0, 2);
    await("first attempt", () -> calls.size() == 1);
    answer(0, 200);
    await("its record is being written", () -> heldRecords.size() == 1);
    Thread.sleep(200); // the second attempt would have started by now
    assertThat(calls).as("nothing overtakes an outcome not yet durable").hasSize(1);
    releaseRecords();
    await("the second attempt", () -> calls.size() == 2);
    assertThat(done).containsExactly("msg_1");
  }

  @Test
  void queuedTasksOfARevokedPartitionAreDroppedNotSentAndNotAcknowledged() throws Exception {
    start(Map.of("webhook.max.in.flight.per.endpoint", "1"), false);
    submit(P0, 1);
    submit(P0, 2);
    submit(P1, 3);
    submit(P0, 4);
    await("first attempt", () -> calls.size() == 1);

    int dropped = dispatcher.dropQueued(List.of(P0)); // from another thread, as the worker calls it

    assertThat(dropped).isEqualTo(2);
    answer(0, 200);
    await("the other partition's task", () -> calls.size() == 2);
    answer(1, 200);
    await("both acknowledged", () -> done.size() == 2);
    Thread.sleep(200); // a dropped task would have started by now
    assertThat(calls).extracting(c -> c.task().messageId()).containsExactly("msg_1", "msg_3");
    assertThat(done).containsExactlyInAnyOrder("msg_1", "msg_3");
  }

  @Test
  void anOrderedInPlaceRetryOfARevokedPartitionIsDropped() throws Exception {
    start(Map.of("webhook.retry.schedule", "0s,300ms,300ms"), true);
    submit(P0, 1);
    await("first attempt", () -> calls.size() == 1);
    answer(0, 500);
    await("retry recorded", () -> sender.to(settings.attempts().name()).size() == 1);

    assertThat(dispatcher.dropQueued(List.of(P0))).isEqualTo(1);
    Thread.sleep(600); // the retry was due after 300 ms
    assertThat(calls).hasSize(1);
    assertThat(done).isEmpty();
  }

  @Test
  void anOutcomeThatCannotBeWrittenIsWrittenAgainWithoutPostingAgain() throws Exception {
    start(Map.of(), false);
    AtomicInteger failures = new AtomicInteger();
    String attempts = settings.attempts().name();
    sender.failTopic = topic -> topic.equals(attempts) && failures.incrementAndGet() <= 2;
    submit(P0, 1);
    await("attempt", () -> calls.size() == 1);
    answer(0, 200);

    await("outcome durable", () -> done.size() == 1);
    assertThat(failures.get()).isEqualTo(3);
    assertThat(calls).as("the endpoint already answered; it is not POSTed again").hasSize(1);
    assertThat(sender.to(attempts)).hasSize(1);
    assertThat(sender.to(attempts).get(0).text()).contains("\"outcome\":\"delivered\"");
  }

  @Test
  void aFullOrderedQueueHoldsItsPartitionInsteadOfDeferringAndKeepsOrder() throws Exception {
    start(Map.of("webhook.max.pending.per.endpoint", "4"), true);
    for (int n = 1; n <= 6; n++) {
      submit(P0, n);
    }
    await("first attempt", () -> calls.size() == 1);
    assertThat(dispatcher.saturatedPartitions()).containsExactly(P0);

    for (int i = 0; i < 3; i++) {
      answer(i, 200);
      int next = i + 2;
      await("attempt " + next, () -> calls.size() == next);
    }
    assertThat(dispatcher.saturatedPartitions()).as("drained to half").isEmpty();
    for (int i = 3; i < 6; i++) {
      answer(i, 200);
      int next = i + 2;
      await("attempt " + next, () -> calls.size() == Math.min(6, next));
    }
    await("all acknowledged", () -> done.size() == 6);
    assertThat(calls).extracting(c -> c.task().messageId())
        .containsExactly("msg_1", "msg_2", "msg_3", "msg_4", "msg_5", "msg_6");
    assertThat(sender.sent).noneMatch(s -> s.topic().startsWith(settings.retryTopicPrefix()));
  }

  @Test
  void aFullUnorderedQueueDefersToTheFirstTier() throws Exception {
    start(Map.of("webhook.max.pending.per.endpoint", "2", "webhook.max.in.flight.per.endpoint", "1"), false);
    for (int n = 1; n <= 5; n++) {
      submit(P0, n);
    }
    await("deferred", () -> done.size() == 2);
    assertThat(sender.to(settings.retryTopic(settings.schedule().tiers().get(0)))).hasSize(2);
    assertThat(dispatcher.saturatedPartitions()).isEmpty();
  }

  @Test
  void aTaskForASubscriptionNotReadYetWaitsForIt() throws Exception {
    start(Map.of(), false);
    DeliveryTask forLater = Tasks.webhook("msg_9", "sub_2", "evt-9", "report.published", "r-9", Instant.now(), "{}",
        1, 0, 0, 9);
    onContext(() -> {
      dispatcher.submit(forLater, P0, () -> done.add("msg_9"));
      return null;
    });
    Thread.sleep(300);
    store.put(MapDirectory.endpoint("sub_2", "https://b.example/hook", false));

    await("attempt once the subscription is known", () -> calls.size() == 1);
    answer(0, 200);
    await("acknowledged", () -> done.size() == 1);
    assertThat(sender.to(settings.deadLetter().name())).isEmpty();
  }

  @Test
  void aTaskForASubscriptionThatNeverShowsUpIsDeadLetteredAfterTheConfiguredGraceNotDroppedSilently()
      throws Exception {
    start(Map.of("webhook.unknown.subscription.grace", "500ms"), false);
    DeliveryTask orphan = Tasks.webhook("msg_8", "sub_deleted", "evt-8", "report.published", "r-8", Instant.now(),
        "{}", 1, 0, 0, 8);
    long submitted = System.nanoTime();
    onContext(() -> {
      dispatcher.submit(orphan, P0, () -> done.add("msg_8"));
      return null;
    });
    submit(P0, 1); // behind it on the same partition, for a known subscription

    await("the known subscription's task is not held behind the unknown one", () -> calls.size() == 1);
    answer(0, 200);
    await("acknowledged after the dead letter", () -> done.size() == 2);
    assertThat(Duration.ofNanos(System.nanoTime() - submitted)).as("waited the grace").isGreaterThanOrEqualTo(
        Duration.ofMillis(500));
    assertThat(done).containsExactly("msg_1", "msg_8");
    assertThat(calls).extracting(c -> c.task().messageId()).containsExactly("msg_1");
    assertThat(sender.to(settings.attempts().name())).filteredOn(a -> a.text().contains("msg_8")).singleElement()
        .satisfies(a -> assertThat(a.text()).contains("\"outcome\":\"skipped\""));
    assertThat(sender.to(settings.deadLetter().name())).singleElement()
        .satisfies(d -> assertThat(d.text()).contains("sub_deleted is unknown"));
  }

  @Test
  void aReleasedRetryWaitsWhatIsLeftUntilItIsDueBeforeItsAttempt() throws Exception {
    start(Map.of(), false);
    long due = System.currentTimeMillis() + 600;
    DeliveryTask retry = task(1).nextAttempt(System.currentTimeMillis(), due);
    onContext(() -> {
      dispatcher.submit(retry, new TopicPartition("bulletin.deliveries.retry-5s", 0), () -> done.add("retry"));
      return null;
    });

    await("attempted once due", () -> calls.size() == 1);
    assertThat(System.currentTimeMillis()).as("not before it is due").isGreaterThanOrEqualTo(due);
    answer(0, 200);
    await("acknowledged", () -> done.size() == 1);
  }

  @Test
  void aRetryWaitingForItsDueTimeOnARevokedPartitionIsDropped() throws Exception {
    start(Map.of(), false);
    TopicPartition tier = new TopicPartition("bulletin.deliveries.retry-5s", 0);
    DeliveryTask retry = task(1).nextAttempt(System.currentTimeMillis(), System.currentTimeMillis() + 500);
    onContext(() -> {
      dispatcher.submit(retry, tier, () -> done.add("retry"));
      return null;
    });

    assertThat(dispatcher.dropQueued(List.of(tier))).isEqualTo(1);
    Thread.sleep(800); // it would have been attempted by now
    assertThat(calls).isEmpty();
    assertThat(done).isEmpty();
  }

  @Test
  void retriesHeldInMemoryBetweenAttemptsAreCounted() throws Exception {
    start(Map.of("webhook.retry.schedule", "0s,500ms,500ms"), true);
    submit(P0, 1);
    await("first attempt", () -> calls.size() == 1);
    assertThat(dispatcher.retriesInMemory()).isZero();

    answer(0, 500);
    await("the ordered retry waits in memory", () -> dispatcher.retriesInMemory() == 1);
    await("second attempt", () -> calls.size() == 2);
    assertThat(dispatcher.retriesInMemory()).isZero();
    answer(1, 200);
    await("acknowledged", () -> done.size() == 1);
    assertThat(dispatcher.retriesInMemory()).isZero();
  }

  @Test
  void aQueuedTaskWhoseSubscriptionIsDeletedIsDeadLetteredNotAcknowledgedSilently() throws Exception {
    start(Map.of("webhook.max.in.flight.per.endpoint", "1"), false);
    submit(P0, 1);
    submit(P0, 2);
    await("first attempt", () -> calls.size() == 1);

    onContext(() -> {
      store.remove("sub_1"); // deleted while msg_2 waits behind msg_1
      return null;
    });
    answer(0, 200);

    await("both acknowledged", () -> done.size() == 2);
    assertThat(calls).extracting(c -> c.task().messageId()).containsExactly("msg_1");
    assertThat(sender.to(settings.attempts().name()))
        .anySatisfy(a -> assertThat(a.text()).contains("\"messageId\":\"msg_2\"").contains("\"outcome\":\"skipped\""));
    assertThat(sender.to(settings.deadLetter().name())).singleElement()
        .satisfies(d -> assertThat(d.text()).contains("msg_2").contains("was deleted before this task was delivered"));
  }

  private static DeliveryTask withBody(DeliveryTask t, String body) {
    return new DeliveryTask(t.channel(), t.endpointId(), t.messageId(), t.labels(), t.createdAt(), "text/plain",
        t.headers(), body.getBytes(java.nio.charset.StandardCharsets.UTF_8), t.attempt(), t.notBefore(),
        t.sourcePartition(), t.sourceOffset(), t.dueAt());
  }

  @Test
  void theResolvedTaskIsAttemptedAndSignedJustBeforeEachAttemptWhileOutcomesKeepTheQueuedTask() throws Exception {
    // Ordered: the retry waits in place, not in a retry tier this test has no worker for.
    start(Map.of("webhook.retry.schedule", "0s,100ms,100ms"), true);
    store.put(new Endpoint("sub_1", "https://a.example/hook", true, null, true, 0, new HubSignatureSigner("s3cret")));
    AtomicInteger version = new AtomicInteger();
    store.resolver = t -> Future.succeededFuture(withBody(t, "document v" + version.incrementAndGet()));
    submit(P0, 1);
    await("first attempt", () -> calls.size() == 1);
    answer(0, 503);
    await("retry", () -> calls.size() == 2);
    answer(1, 200);
    await("acknowledged", () -> done.size() == 1);

    assertThat(store.calls).containsSubsequence("resolve msg_1 attempt 1", "resolve msg_1 attempt 2");
    assertThat(calls).extracting(c -> new String(c.task().payload(), java.nio.charset.StandardCharsets.UTF_8))
        .containsExactly("document v1", "document v2");
    DeliveryTask sent = calls.get(1).task();
    // HttpDeliverer signs exactly the task it is given: the resolved body.
    assertThat(store.find("sub_1").orElseThrow().signer().headers(sent.messageId(), Instant.now(), sent.payload()))
        .containsEntry("X-Hub-Signature", "sha256=" + java.util.HexFormat.of().formatHex(HubSignatureSigner.hmac(
            "s3cret".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "document v2".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    assertThat(sender.to(settings.attempts().name())).hasSize(2);
    assertThat(sender.to(settings.attempts().name()).get(0).text()).contains("\"outcome\":\"retrying\"")
        .doesNotContain("document v1");
  }

  @Test
  void aPayloadThatCannotBeResolvedIsRetriedOnTheScheduleWithoutFailingTheEndpoint() throws Exception {
    start(Map.of("webhook.retry.schedule", "0s,100ms,100ms", "webhook.disable.after", "1ms"), true);
    AtomicInteger asked = new AtomicInteger();
    store.resolver = t -> asked.incrementAndGet() <= 2
        ? Future.failedFuture(new IllegalStateException("content unavailable"))
        : Future.succeededFuture(withBody(t, "late"));
    submit(P0, 1);
    await("attempt once resolved", () -> calls.size() == 1);
    answer(0, 200);
    await("acknowledged", () -> done.size() == 1);

    List<String> records = sender.to(settings.attempts().name()).stream().map(FakeSender.Sent::text).toList();
    assertThat(records).hasSize(3);
    assertThat(records.get(0)).contains("\"outcome\":\"retrying\"")
        .contains("the payload could not be resolved: content unavailable");
    assertThat(records.get(1)).contains("\"outcome\":\"retrying\"");
    assertThat(records.get(2)).contains("\"outcome\":\"delivered\"");
    assertThat(store.calls).as("nothing was sent, so the endpoint is not failing").noneMatch(c -> c.startsWith("disable"));
    assertThat(store.find("sub_1").orElseThrow().enabled()).isTrue();
  }

  @Test
  void aPayloadThatIsGoneSkipsTheTaskWithItsReasonWithoutAnAttempt() throws Exception {
    start(Map.of(), false);
    store.resolver = t -> Future.failedFuture(new PayloadGoneException("the feed x no longer exists"));
    submit(P0, 1);
    await("finished", () -> done.size() == 1);

    assertThat(calls).isEmpty();
    assertThat(sender.to(settings.attempts().name())).singleElement()
        .satisfies(r -> assertThat(r.text()).contains("\"outcome\":\"skipped\"").contains("the feed x no longer exists"));
    assertThat(sender.to(settings.deadLetter().name())).hasSize(1);
  }
}
