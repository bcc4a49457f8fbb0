package org.bulletin.feed.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.TopicPartition;
import org.bulletin.feed.metrics.FeedMetrics;
import org.bulletin.platform.config.Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeliveryShardsTest {
  private static final int SHARDS = 4;
  private static final TopicPartition P0 = new TopicPartition("tasks", 0);
  private static final TopicPartition P1 = new TopicPartition("tasks", 1);

  // An event loop per shard whatever the machine's cores (the default is two per core).
  private final Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(SHARDS));
  private final FakeSender sender = new FakeSender();
  private final MapDirectory store = new MapDirectory();
  /** Attempts made, in order; each waits until the test answers it. */
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<String> done = new CopyOnWriteArrayList<>();
  /** Per endpoint: attempts under way now, and the most seen at once. */
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<String, Integer> mostInFlight = new ConcurrentHashMap<>();
  private DeliveryEngineSettings settings;
  private DeliveryShards shards;

  /** An attempt: on which shard's context and thread it was made. */
  private record Call(DeliveryTask task, Context context, String thread, Promise<AttemptResult> answer) {}

  private void start(Map<String, String> config) throws Exception {
    settings = DeliveryEngineSettings.from(Config.of(config));
    EndpointDirectories directories = new EndpointDirectories().register("webhook", store);
    DeliveryOutcomes outcomes = new DeliveryOutcomes(sender, settings, directories, new FeedMetrics());
    shards = new DeliveryShards(vertx, SHARDS, (context, index) -> new EndpointDispatcher(vertx, context, directories,
        (ctx, task, endpoint) -> {
          assertThat(Vertx.currentContext()).as("an attempt starts on its shard's context").isSameAs(ctx);
          int now = inFlight.computeIfAbsent(task.endpointId(), k -> new AtomicInteger()).incrementAndGet();
          mostInFlight.merge(task.endpointId(), now, Math::max);
          Promise<AttemptResult> p = Promise.promise();
          calls.add(new Call(task, ctx, Thread.currentThread().getName(), p));
          return p.future();
        }, outcomes, settings));
    shards.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private static DeliveryTask task(String endpoint, int n) {
    return Tasks.webhook(endpoint + "_msg_" + n, endpoint, "evt-" + n, "report.published", "r-" + n, Instant.now(),
        "{}", 1, 0, 0, n);
  }

  private void submit(TopicPartition from, String endpoint, int n) {
    shards.submit(task(endpoint, n), from, () -> done.add(endpoint + "_msg_" + n));
  }

  /** Answers an attempt on its shard's context, as an HTTP response would arrive. */
  private void answer(Call call, int status) {
    call.context().runOnContext(v -> {
      inFlight.get(call.task().endpointId()).decrementAndGet();
      call.answer().complete(new AttemptResult(Instant.now(), status, 3, "ok", null, null, false));
    });
  }

  private List<Call> callsOf(String endpoint) {
    return calls.stream().filter(c -> c.task().endpointId().equals(endpoint)).toList();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  /** One endpoint id for each shard, found by the shard function itself. */
  private static List<String> oneEndpointPerShard() {
    String[] found = new String[SHARDS];
    for (int i = 0; i < 10_000; i++) {
      int shard = DeliveryShards.shardOf("webhook", "sub_" + i, SHARDS);
      if (found[shard] == null) {
        found[shard] = "sub_" + i;
      }
    }
    assertThat(found).doesNotContainNull();
    return List.of(found);
  }

  @Test
  void anEndpointAlwaysMapsToTheSameShardAndEndpointsSpreadOverAllShards() {
    Map<Integer, Integer> perShard = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      String id = "sub_" + Integer.toHexString(i * 7919);
      int shard = DeliveryShards.shardOf("webhook", id, SHARDS);
      assertThat(shard).isBetween(0, SHARDS - 1);
      for (int again = 0; again < 3; again++) {
        assertThat(DeliveryShards.shardOf("webhook", id, SHARDS)).isEqualTo(shard);
      }
      perShard.merge(shard, 1, Integer::sum);
    }
    assertThat(perShard).hasSize(SHARDS);
    assertThat(perShard.values()).allSatisfy(n -> assertThat(n).isGreaterThan(150));
    assertThat(DeliveryShards.shardOf("webhook", "anything", 1)).isZero();
  }

  @Test
  void theShardCountIsOnePerCoreByDefaultOrTheNumberGivenAndAnythingElseIsRefused() {
    assertThat(DeliveryEngineSettings.from(Config.of(Map.of())).dispatcherShards())
        .isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors()));
    assertThat(DeliveryEngineSettings.from(Config.of(Map.of("webhook.dispatcher.shards", "3"))).dispatcherShards())
        .isEqualTo(3);
    for (String bad : List.of("0", "257", "many", "-1")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> DeliveryEngineSettings.from(Config.of(Map.of("webhook.dispatcher.shards", bad))))
          .isInstanceOf(org.bulletin.platform.config.ConfigException.class)
          .hasMessageContaining("webhook.dispatcher.shards");
    }
  }

  @Test
  void everyAttemptOfAnEndpointRunsOnTheSameShardWhileOtherEndpointsUseOtherShards() throws Exception {
    start(Map.of());
    List<String> endpoints = oneEndpointPerShard();
    endpoints.forEach(id -> store.put(MapDirectory.endpoint(id, "https://" + id + ".example/hook", false)));
    for (int n = 1; n <= 5; n++) {
      for (String id : endpoints) {
        submit(P0, id, n);
      }
    }
    await("every attempt", () -> calls.size() == 5 * SHARDS);
    calls.forEach(c -> answer(c, 200));
    await("every outcome durable", () -> done.size() == 5 * SHARDS);

    Set<Context> contexts = new HashSet<>();
    Set<String> threads = new HashSet<>();
    for (String id : endpoints) {
      List<Call> mine = callsOf(id);
      assertThat(mine).hasSize(5);
      assertThat(mine).extracting(Call::context).as("one shard for " + id).containsOnly(mine.get(0).context());
      assertThat(mine).extracting(Call::thread).containsOnly(mine.get(0).thread());
      contexts.add(mine.get(0).context());
      threads.add(mine.get(0).thread());
    }
    assertThat(contexts).as("each endpoint on a shard of its own").hasSize(SHARDS);
    assertThat(threads).as("the shards run on different event loops").hasSize(SHARDS);
  }

  @Test
  void orderedEndpointsKeepTheirOrderWithOneAttemptInFlightOnEveryShard() throws Exception {
    start(Map.of());
    List<String> endpoints = oneEndpointPerShard();
    endpoints.forEach(id -> store.put(MapDirectory.endpoint(id, "https://" + id + ".example/hook", true)));
    for (int n = 1; n <= 6; n++) {
      for (String id : endpoints) {
        submit(n % 2 == 0 ? P0 : P1, id, n);
      }
    }
    // Answer the head of every endpoint as it comes; each waits for the one before.
    for (int n = 1; n <= 6; n++) {
      int expected = n;
      await("attempt " + n + " of every endpoint", () -> calls.size() == expected * SHARDS);
      for (String id : endpoints) {
        List<Call> mine = callsOf(id);
        assertThat(mine).as("one in flight for ordered " + id).hasSize(expected);
        answer(mine.get(expected - 1), 200);
      }
    }
    await("every outcome durable", () -> done.size() == 6 * SHARDS);

    for (String id : endpoints) {
      assertThat(callsOf(id)).extracting(c -> c.task().messageId())
          .containsExactly(id + "_msg_1", id + "_msg_2", id + "_msg_3", id + "_msg_4", id + "_msg_5", id + "_msg_6");
      assertThat(mostInFlight.get(id)).isEqualTo(1);
    }
  }

  @Test
  void theInFlightLimitHoldsPerEndpointOnEveryShard() throws Exception {
    start(Map.of("webhook.max.in.flight.per.endpoint", "2"));
    List<String> endpoints = oneEndpointPerShard();
    endpoints.forEach(id -> store.put(MapDirectory.endpoint(id, "https://" + id + ".example/hook", false)));
    for (int n = 1; n <= 6; n++) {
      for (String id : endpoints) {
        submit(P0, id, n);
      }
    }
    await("two attempts of every endpoint", () -> calls.size() == 2 * SHARDS);
    Thread.sleep(200); // a third attempt of any endpoint would have started by now
    assertThat(calls).hasSize(2 * SHARDS);

    int answered = 0;
    while (done.size() < 6 * SHARDS) {
      List<Call> now = new ArrayList<>(calls);
      for (Call c : now.subList(answered, now.size())) {
        answer(c, 200);
      }
      answered = now.size();
      int before = answered;
      await("more attempts or the end", () -> calls.size() > before || done.size() == 6 * SHARDS);
    }
    for (String id : endpoints) {
      assertThat(callsOf(id)).hasSize(6);
      assertThat(mostInFlight.get(id)).as("in flight at once for " + id).isEqualTo(2);
    }
  }

  @Test
  void droppingARevokedPartitionReachesEveryShardAndCountsAll() throws Exception {
    start(Map.of("webhook.max.in.flight.per.endpoint", "1"));
    List<String> endpoints = oneEndpointPerShard();
    endpoints.forEach(id -> store.put(MapDirectory.endpoint(id, "https://" + id + ".example/hook", false)));
    for (String id : endpoints) {
      submit(P1, id, 1); // under way: finishes
      submit(P0, id, 2); // queued: dropped
      submit(P0, id, 3); // queued: dropped
      submit(P1, id, 4); // queued, another partition: kept
    }
    await("first attempt of every endpoint", () -> calls.size() == SHARDS);

    int dropped = shards.dropQueued(List.of(P0)); // from another thread, as the worker calls it

    assertThat(dropped).isEqualTo(2 * SHARDS);
    calls.forEach(c -> answer(c, 200));
    await("the kept tasks attempted", () -> calls.size() == 2 * SHARDS);
    new ArrayList<>(calls).subList(SHARDS, 2 * SHARDS).forEach(c -> answer(c, 200));
    await("kept tasks durable", () -> done.size() == 2 * SHARDS);
    Thread.sleep(200); // a dropped task would have started by now
    assertThat(calls).extracting(c -> c.task().messageId()).noneMatch(m -> m.endsWith("_2") || m.endsWith("_3"));
  }

  @Test
  void fullOrderedQueuesOnDifferentShardsHoldTheUnionOfTheirPartitions() throws Exception {
    start(Map.of("webhook.max.pending.per.endpoint", "3"));
    List<String> endpoints = oneEndpointPerShard();
    endpoints.forEach(id -> store.put(MapDirectory.endpoint(id, "https://" + id + ".example/hook", true)));
    String first = endpoints.get(0);
    String second = endpoints.get(1);
    for (int n = 1; n <= 5; n++) {
      submit(P0, first, n);
      submit(P1, second, n);
    }
    await("both partitions held", () -> shards.saturatedPartitions().equals(Set.of(P0, P1)));
    assertThat(shards.saturatedPartitions()).containsExactlyInAnyOrder(P0, P1);

    // The first endpoint drains: only its partition is let go.
    for (int n = 1; n <= 5; n++) {
      int expected = n;
      await("attempt " + n, () -> callsOf(first).size() == expected);
      answer(callsOf(first).get(n - 1), 200);
    }
    await("only the second's partition held", () -> shards.saturatedPartitions().equals(Set.of(P1)));
  }

  @Test
  void retriesHeldInMemoryAreSummedOverTheShards() throws Exception {
    start(Map.of("webhook.retry.schedule", "0s,1h,1h"));
    List<String> endpoints = oneEndpointPerShard();
    endpoints.forEach(id -> store.put(MapDirectory.endpoint(id, "https://" + id + ".example/hook", true)));
    endpoints.forEach(id -> submit(P0, id, 1));
    await("every first attempt", () -> calls.size() == SHARDS);
    calls.forEach(c -> answer(c, 500));

    await("every ordered retry waits in memory", () -> shards.retriesInMemory() == SHARDS);
    assertThat(shards.dropQueued(List.of(P0))).isEqualTo(SHARDS);
    assertThat(shards.retriesInMemory()).isZero();
  }
}
