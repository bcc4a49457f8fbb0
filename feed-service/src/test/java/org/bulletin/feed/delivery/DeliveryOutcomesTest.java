package org.bulletin.feed.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.bulletin.feed.metrics.FeedMetrics;
import org.bulletin.platform.config.Config;
import org.junit.jupiter.api.Test;

class DeliveryOutcomesTest {
  private final DeliveryEngineSettings settings = DeliveryEngineSettings.from(Config.of(Map.of(
      "webhook.retry.schedule", "0s,5s,5m,30m", "webhook.retry.jitter", "0.2", "webhook.disable.after", "1h")));
  private final FakeSender sender = new FakeSender();
  private final MapDirectory directory = new MapDirectory();
  private final MapDirectory websub = new MapDirectory();
  private final FeedMetrics metrics = new FeedMetrics();
  private final DeliveryOutcomes outcomes = new DeliveryOutcomes(sender, settings,
      new EndpointDirectories().register("webhook", directory).register("websub", websub), metrics);
  private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Endpoint endpoint(String url) {
    return MapDirectory.endpoint("sub_1", url, false);
  }

  private Endpoint current() {
    return directory.endpoints.get("sub_1");
  }

  private static DeliveryTask task(int attempt) {
    return Tasks.webhook("msg_1", "sub_1", "evt-1", "report.published", "r-1", Instant.now(), "{}", attempt,
        0, 0, 0);
  }

  private static AttemptResult status(int status, Instant at) {
    return new AttemptResult(at, status, 5, "", null, null, false);
  }

  @Test
  void a410IsRecordedAsDisabledAndReportedToTheDirectoryAsGone() {
    Endpoint attempted = endpoint("https://a.example/hook");
    directory.put(attempted);

    var next = outcomes.handle(task(1), attempted, status(410, Instant.now())).await();

    assertThat(next).isEmpty();
    assertThat(directory.calls).containsExactly("gone sub_1 https://a.example/hook");
    assertThat(sender.to(settings.attempts().name())).singleElement()
        .satisfies(a -> assertThat(a.text()).contains("\"outcome\":\"disabled\"").contains("\"channel\":\"webhook\""));
    assertThat(sender.to(settings.retryTopic(Duration.ofSeconds(5)))).isEmpty();
  }

  @Test
  void a410FromAUrlChangedSinceTheAttemptDoesNotDisableButRetriesTheNewUrl() {
    Endpoint attempted = endpoint("https://old.example/hook");
    directory.put(endpoint("https://new.example/hook"));

    var next = outcomes.handle(task(1), attempted, status(410, Instant.now())).await();

    assertThat(next).isEmpty();
    assertThat(current().enabled()).isTrue();
    assertThat(sender.to(settings.retryTopic(Duration.ofSeconds(5)))).hasSize(1);
    assertThat(directory.calls).isEmpty();
  }

  @Test
  void failingLongerThanTheLimitDisablesOnlyWhileTheUrlIsTheFailingOne() {
    Endpoint old = endpoint("https://old.example/hook");
    directory.put(old);
    outcomes.handle(task(1), old, status(500, t0)).await();
    // The URL changes while the endpoint keeps failing: the next failure at the old URL is old news.
    directory.put(endpoint("https://new.example/hook"));
    outcomes.handle(task(2), old, status(500, t0.plus(Duration.ofHours(2)))).await();
    assertThat(current().enabled()).isTrue();

    // The new URL starts its own clock: failing at it for 30 minutes is not yet too long.
    Endpoint fresh = current();
    outcomes.handle(task(2), fresh, status(500, t0.plus(Duration.ofHours(3)))).await();
    outcomes.handle(task(3), fresh, status(500, t0.plus(Duration.ofMinutes(210)))).await();
    assertThat(current().enabled()).isTrue();

    outcomes.handle(task(3), fresh, status(500, t0.plus(Duration.ofHours(5)))).await();
    Endpoint disabled = current();
    assertThat(disabled.enabled()).isFalse();
    assertThat(disabled.url()).isEqualTo("https://new.example/hook");
  }

  @Test
  void anEndpointFailingSinceBeforeARestartIsDisabledOnTimeAfterIt() {
    Endpoint s = endpoint("https://a.example/hook?token=t");
    directory.put(s);
    outcomes.handle(task(1), s, status(500, t0)).await();
    outcomes.handle(task(2), s, status(500, t0.plus(Duration.ofMinutes(30)))).await();

    // The next run: a new clock, folded from the records the previous run wrote (another instance id).
    FailingClock clock = new FailingClock(100);
    sender.attempts(settings.attempts().name()).forEach(clock::fold);
    DeliveryOutcomes restarted = new DeliveryOutcomes(sender, new AttemptWriter(sender, settings.attempts().name(),
        10, 100_000, 100), clock, settings, new EndpointDirectories().register("webhook", directory), metrics);

    restarted.handle(task(3), s, status(500, t0.plus(Duration.ofMinutes(61)))).await();

    assertThat(current().enabled()).isFalse();
    assertThat(current().disabledReason()).contains("failing continuously since " + t0);
    assertThat(sender.attempts(settings.attempts().name())).allSatisfy(a -> assertThat(a.urlHash())
        .isEqualTo(UrlHash.of(s.url())).doesNotContain("token"));
  }

  @Test
  void aFailureAnotherInstanceRecordedCountsAndItsSuccessStopsTheClock() {
    Endpoint s = endpoint("https://a.example/hook");
    directory.put(s);
    FailingClock clock = new FailingClock(100);
    DeliveryOutcomes here = new DeliveryOutcomes(sender, new AttemptWriter(sender, settings.attempts().name(),
        10, 100_000, 100), clock, settings, new EndpointDirectories().register("webhook", directory), metrics);
    clock.fold(new AttemptRecord("webhook", "sub_1", "m0", Map.of(), 1, t0, 500, 1, null, null, "retrying", null, 0,
        0, UrlHash.of(s.url())));

    here.handle(task(2), s, status(500, t0.plus(Duration.ofMinutes(59)))).await();
    assertThat(current().enabled()).isTrue();
    clock.fold(new AttemptRecord("webhook", "sub_1", "m1", Map.of(), 1, t0.plus(Duration.ofMinutes(60)), 200, 1,
        null, null, "delivered", null, 0, 0, UrlHash.of(s.url())));
    here.handle(task(3), s, status(500, t0.plus(Duration.ofMinutes(62)))).await();
    assertThat(current().enabled()).as("another instance delivered in between").isTrue();

    clock.fold(new AttemptRecord("webhook", "sub_1", "m2", Map.of(), 1, t0.plus(Duration.ofMinutes(61)), 500, 1,
        null, null, "retrying", null, 0, 0, UrlHash.of(s.url())));
    here.handle(task(4), s, status(500, t0.plus(Duration.ofMinutes(122)))).await();
    assertThat(current().enabled()).as("failing since minute 61, by another instance's record").isFalse();
  }

  @Test
  void aDisablingWhoseRecordCouldNotBeWrittenIsDecidedAgainWhenTheOutcomeIsHandledAgain() {
    Endpoint s = endpoint("https://a.example/hook");
    directory.put(s);
    outcomes.handle(task(1), s, status(500, t0)).await();
    AttemptResult tooLong = status(500, t0.plus(Duration.ofMinutes(61)));

    sender.failTopic = t -> t.equals(settings.attempts().name()); // Kafka refuses the attempt record
    assertThat(outcomes.handle(task(2), s, tooLong).failed()).isTrue();
    assertThat(current().enabled()).isTrue();

    // The record is written, the disabling made, but the dead letter refused: handled again, the
    // outcome must reach the same decision.
    sender.failTopic = t -> t.equals(settings.deadLetter().name());
    assertThat(outcomes.handle(task(2), s, tooLong).failed()).isTrue();

    // The dispatcher retries recording the same outcome: it must still disable.
    sender.failTopic = t -> false;
    var next = outcomes.handle(task(2), s, tooLong).await();
    assertThat(next).isEmpty();
    assertThat(current().enabled()).isFalse();
    assertThat(current().disabledReason()).contains("failing continuously since " + t0);
    assertThat(sender.attempts(settings.attempts().name())).extracting(AttemptRecord::outcome)
        .containsExactly("retrying", "disabled", "disabled");
  }

  private DeliveryTask written(FakeSender.Sent sent) {
    return DeliveryJson.read(sent.value(), DeliveryTask.class);
  }

  @Test
  void everyRecordOfATierWaitsExactlyTheTiersDelaySoItsOrderIsItsDueOrder() {
    Endpoint s = endpoint("https://a.example/hook");
    directory.put(s);
    for (int i = 0; i < 20; i++) {
      long before = System.currentTimeMillis();
      outcomes.handle(task(2), s, status(500, Instant.now())).await();
      long after = System.currentTimeMillis();
      DeliveryTask retry = written(sender.to(settings.retryTopic(Duration.ofMinutes(5))).get(i));
      assertThat(retry.notBefore()).as("released exactly 5 min after it was written")
          .isBetween(before + 300_000, after + 300_000);
      assertThat(retry.dueAt() - retry.notBefore()).as("the jitter is waited at release").isBetween(-50L, 5_000L);
      assertThat(retry.attempt()).isEqualTo(3);
    }
    assertThat(sender.to(settings.retryTopic(Duration.ofMinutes(30)))).isEmpty();
  }

  @Test
  void aRetryAfterBetweenTiersHopsThroughTheShorterTierInsteadOfBlockingIt() {
    Endpoint s = endpoint("https://a.example/hook");
    directory.put(s);
    Instant failedAt = Instant.now();
    AttemptResult asksForLater = new AttemptResult(failedAt, 503, 5, "", null, Duration.ofSeconds(240), false);

    long before = System.currentTimeMillis();
    outcomes.handle(task(2), s, asksForLater).await();

    DeliveryTask hop = written(sender.to(settings.retryTopic(Duration.ofSeconds(5))).get(0));
    assertThat(hop.notBefore()).as("one 5 s hop, like every record of that tier")
        .isBetween(before + 5_000, System.currentTimeMillis() + 5_000);
    assertThat(hop.dueAt()).isBetween(failedAt.toEpochMilli() + 240_000, failedAt.toEpochMilli() + 245_000);

    // Released after its hop, it makes the next one; a few seconds before it is due, none.
    assertThat(outcomes.nextHop(hop, hop.notBefore())).contains(Duration.ofSeconds(5));
    assertThat(outcomes.nextHop(hop, hop.dueAt() - 4_000)).isEmpty();
    outcomes.hop(hop, Duration.ofSeconds(5)).await();
    DeliveryTask second = written(sender.to(settings.retryTopic(Duration.ofSeconds(5))).get(1));
    assertThat(second.dueAt()).isEqualTo(hop.dueAt());
    assertThat(second.attempt()).isEqualTo(hop.attempt());
  }

  @Test
  void aRetryOfFiveAndAHalfMinutesFirstWaitsInTheFiveMinuteTier() {
    Endpoint s = endpoint("https://a.example/hook");
    directory.put(s);
    AttemptResult asksForLater = new AttemptResult(Instant.now(), 503, 5, "", null, Duration.ofSeconds(330), false);

    outcomes.handle(task(2), s, asksForLater).await();

    assertThat(sender.to(settings.retryTopic(Duration.ofMinutes(5)))).hasSize(1);
    assertThat(sender.to(settings.retryTopic(Duration.ofMinutes(30)))).isEmpty();
  }

  @Test
  void aRetryAfterLongerThanTheCapIsCappedNotIgnored() {
    Endpoint s = endpoint("https://a.example/hook");
    directory.put(s);
    Instant failedAt = Instant.now();
    AttemptResult asksForMuchLater = new AttemptResult(failedAt, 503, 5, "", null, Duration.ofHours(3), false);

    outcomes.handle(task(2), s, asksForMuchLater).await();

    DeliveryTask retry = written(sender.to(settings.retryTopic(Duration.ofMinutes(30))).get(0));
    assertThat(retry.dueAt()).as("webhook.retry.after.max is 1h")
        .isBetween(failedAt.toEpochMilli() + 3_600_000, failedAt.toEpochMilli() + 3_605_000);
  }

  @Test
  void aRetryShorterThanEveryTierIsRetriedInMemoryNotWrittenToATier() {
    Endpoint s = endpoint("https://a.example/hook");
    directory.put(s);
    Instant failedAt = Instant.now();
    AttemptResult asksForOneSecond = new AttemptResult(failedAt, 429, 5, "", null, Duration.ofSeconds(1), false);

    var next = outcomes.handle(task(2), s, asksForOneSecond).await();

    assertThat(next).hasValueSatisfying(at -> assertThat(at.toEpochMilli())
        .isBetween(failedAt.toEpochMilli() + 1_000, failedAt.toEpochMilli() + 1_200));
    assertThat(sender.to(settings.retryTopic(Duration.ofSeconds(5)))).isEmpty();
    assertThat(sender.to(settings.attempts().name())).singleElement()
        .satisfies(a -> assertThat(a.text()).contains("\"outcome\":\"retrying\""));
  }

  @Test
  void aUrlTheSettingsNowRefuseDisablesTheEndpointNamingTheSettingAndDeadLettersTheTask() {
    Endpoint s = endpoint("http://127.0.0.1:9/hook");
    directory.put(s);
    String refusal = "the URL must use https; http is refused unless the operator sets BULLETIN_WEBHOOK_ALLOW_HTTP=true"
        + " (webhook.allow.http)";
    AttemptResult refused = new AttemptResult(Instant.now(), null, 0, null, refusal, null, true);

    var next = outcomes.handle(task(1), s, refused).await();

    assertThat(next).isEmpty();
    Endpoint now = current();
    assertThat(now.enabled()).isFalse();
    assertThat(now.disabledReason()).contains("BULLETIN_WEBHOOK_ALLOW_HTTP=true").contains("/enable");
    assertThat(directory.calls).hasSize(1);
    assertThat(sender.to(settings.deadLetter().name())).hasSize(1);
  }

  @Test
  void attemptsAreCountedPerChannelAndWebhooksKeepTheirOwnMetric() {
    Endpoint s = endpoint("https://a.example/hook");
    directory.put(s);
    websub.put(MapDirectory.endpoint("ws_1", "https://b.example/cb", false));

    outcomes.handle(task(1), s, status(200, Instant.now())).await();
    DeliveryTask push = DeliveryTask.first("websub", "ws_1", "m-1", Map.of(), null, "application/rss+xml", Map.of(),
        "<rss/>".getBytes(java.nio.charset.StandardCharsets.UTF_8), 0, -1, -1);
    outcomes.handle(push, websub.endpoints.get("ws_1"), status(200, Instant.now())).await();

    String scrape = metrics.scrape();
    assertThat(scrape).contains("bulletin_delivery_attempts_total{channel=\"webhook\",outcome=\"delivered\"} 1.0")
        .contains("bulletin_delivery_attempts_total{channel=\"websub\",outcome=\"delivered\"} 1.0")
        .contains("bulletin_webhook_attempts_total{outcome=\"delivered\"} 1.0");
  }

  @Test
  void a410OfAnotherChannelGoesToThatChannelsDirectory() {
    Endpoint ws = MapDirectory.endpoint("ws_1", "https://b.example/cb", false);
    websub.put(ws);
    DeliveryTask push = DeliveryTask.first("websub", "ws_1", "m-1", Map.of("topic", "t"), Instant.now(),
        "application/atom+xml", Map.of(), "<feed/>".getBytes(java.nio.charset.StandardCharsets.UTF_8), 0, -1, -1);

    outcomes.handle(push, ws, status(410, Instant.now())).await();

    assertThat(websub.calls).containsExactly("gone ws_1 https://b.example/cb");
    assertThat(directory.calls).isEmpty();
    assertThat(sender.to(settings.attempts().name())).singleElement()
        .satisfies(a -> assertThat(a.text()).contains("\"channel\":\"websub\"").contains("\"topic\":\"t\""));
  }
}
