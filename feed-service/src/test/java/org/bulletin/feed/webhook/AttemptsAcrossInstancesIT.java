package org.bulletin.feed.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.bulletin.feed.FeedFixture;
import org.bulletin.testkit.KafkaBroker;
import org.bulletin.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Attempt records are batched and an instance does not read its own back: the attempt log of every
 * instance still lists every instance's attempts, and the "failing since" clock holds across a
 * restart (a new instance id reading the previous run's records).
 */
@ExtendWith(KafkaBrokerExtension.class)
class AttemptsAcrossInstancesIT {
  private static FeedFixture fixture(KafkaBroker broker, Map<String, String> extra) {
    Map<String, String> config = new java.util.HashMap<>(Map.of(
        "webhook.allow.http", "true",
        "webhook.allowlist", "127.0.0.1/32",
        "webhook.timeout", "2s",
        "kafka.session.timeout.ms", "6000",
        "kafka.heartbeat.interval.ms", "1000"));
    config.putAll(extra);
    return new FeedFixture(broker.bootstrapServers(), config);
  }

  private static JsonArray attempts(FeedFixture.Feed feed, String subscriptionId) {
    return feed.api(HttpMethod.GET, "/v1/subscriptions/" + subscriptionId + "/attempts", null).bodyAsJsonObject()
        .getJsonArray("items");
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  @Test
  void oneInstancesAttemptsAreListedByAnotherAndByTheNextRun() throws Exception {
    try (FeedFixture support = fixture(broker(), Map.of("webhook.retry.schedule", "0s,300ms"));
        TestReceiver receiver = TestReceiver.ok()) {
      FeedFixture.Feed a = support.startFeed();
      String id = a.api(HttpMethod.POST, "/v1/subscriptions", new JsonObject().put("url", receiver.url()))
          .bodyAsJsonObject().getString("id");
      support.publishSample("erqi-flood-prevention-meeting.txt");
      await("delivered", Duration.ofSeconds(20), () -> receiver.received.size() == 1);
      await("in the log of the instance that delivered", Duration.ofSeconds(10), () -> attempts(a, id).size() == 1);

      FeedFixture.Feed b = support.startFeed();
      await("another instance lists it", Duration.ofSeconds(20), () -> attempts(b, id).size() == 1);
      JsonObject seenByB = attempts(b, id).getJsonObject(0);
      assertThat(seenByB.getString("outcome")).isEqualTo("delivered");
      assertThat(seenByB.getString("webhookId")).isEqualTo(receiver.received.get(0).webhookId());
      assertThat(b.api(HttpMethod.GET, "/v1/events/" + seenByB.getString("eventId") + "/attempts", null)
          .bodyAsJsonObject().getJsonArray("items")).hasSize(1);

      // Both running: whichever delivers, both list it once.
      support.publishSample("guancheng-environment-notice.txt");
      await("second delivery", Duration.ofSeconds(20), () -> receiver.received.size() == 2);
      await("both list both", Duration.ofSeconds(20), () -> attempts(a, id).size() == 2 && attempts(b, id).size() == 2);

      a.stop();
      b.stop();
      FeedFixture.Feed next = support.startFeed();
      await("the next run lists the previous run's attempts", Duration.ofSeconds(20),
          () -> attempts(next, id).size() == 2);
      Thread.sleep(500); // a duplicate would show by now
      assertThat(attempts(next, id)).hasSize(2);
    }
  }

  @Test
  void anEndpointFailingSinceBeforeARestartIsDisabledCountingFromItsFirstFailure() throws Exception {
    String schedule = "0s" + ",500ms".repeat(200); // attempts for 100 s: the restart may be slow
    try (FeedFixture support = fixture(broker(), Map.of("webhook.retry.schedule", schedule,
        "webhook.retry.jitter", "0", "webhook.disable.after", "8s"));
        TestReceiver failing = new TestReceiver(n -> 500)) {
      FeedFixture.Feed before = support.startFeed();
      String id = failingTwice(support, before, failing);
      JsonArray logged = attempts(before, id);
      Instant firstFailure = Instant.parse(logged.getJsonObject(logged.size() - 1).getString("at"));
      before.stop();

      FeedFixture.Feed after = support.startFeed();
      Instant since = disabledSince(after, id, "disabled after the restart");
      assertThat(since).as("the clock started before the restart, by the earlier run's first failure")
          .isEqualTo(firstFailure.truncatedTo(ChronoUnit.MILLIS));
    }
  }

  @Test
  void failuresFromBeforeAReEnablingDoNotCountAfterARestart() throws Exception {
    String schedule = "0s" + ",500ms".repeat(200);
    try (FeedFixture support = fixture(broker(), Map.of("webhook.retry.schedule", schedule,
        "webhook.retry.jitter", "0", "webhook.disable.after", "4s"));
        TestReceiver failing = new TestReceiver(n -> 500)) {
      FeedFixture.Feed before = support.startFeed();
      String id = failingTwice(support, before, failing);
      assertThat(before.api(HttpMethod.PATCH, "/v1/subscriptions/" + id, new JsonObject().put("enabled", false))
          .statusCode()).isEqualTo(200);
      JsonObject enabled = before.api(HttpMethod.POST, "/v1/subscriptions/" + id + "/enable", null).bodyAsJsonObject();
      Instant reEnabledAt = Instant.parse(enabled.getString("updatedAt"));
      before.stop();

      FeedFixture.Feed after = support.startFeed();
      support.publishSample("guancheng-environment-notice.txt");
      Instant since = disabledSince(after, id, "disabled again after failing 4 s");
      assertThat(since).as("counted from after the re-enabling, not from the failures before it")
          .isAfterOrEqualTo(reEnabledAt.truncatedTo(ChronoUnit.MILLIS));
    }
  }

  /** Subscribes an endpoint that answers 500, publishes a report and waits until it failed twice. */
  private static String failingTwice(FeedFixture support, FeedFixture.Feed feed, TestReceiver failing)
      throws Exception {
    String id = feed.api(HttpMethod.POST, "/v1/subscriptions", new JsonObject().put("url", failing.url()))
        .bodyAsJsonObject().getString("id");
    support.publishSample("erqi-flood-prevention-meeting.txt");
    await("two failures logged", Duration.ofSeconds(20), () -> attempts(feed, id).size() >= 2);
    return id;
  }

  /** Waits until the endpoint is disabled for failing, and returns since when it said it failed. */
  private static Instant disabledSince(FeedFixture.Feed feed, String id, String what) throws Exception {
    await(what, Duration.ofSeconds(60), () -> !feed.api(HttpMethod.GET, "/v1/subscriptions/" + id, null)
        .bodyAsJsonObject().getBoolean("enabled"));
    String reason = feed.api(HttpMethod.GET, "/v1/subscriptions/" + id, null).bodyAsJsonObject()
        .getString("disabledReason");
    assertThat(reason).startsWith("failing continuously since ");
    return Instant.parse(reason.substring("failing continuously since ".length()).trim());
  }

  private KafkaBroker broker;

  @org.junit.jupiter.api.BeforeEach
  void broker(KafkaBroker broker) {
    this.broker = broker;
  }

  private KafkaBroker broker() {
    return broker;
  }
}
