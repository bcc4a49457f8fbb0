package org.bulletin.feed.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bulletin.feed.metrics.FeedMetrics;
import org.bulletin.feed.webhook.Subscription;
import org.bulletin.feed.webhook.SubscriptionService;
import org.bulletin.feed.webhook.SubscriptionStore;
import org.bulletin.feed.webhook.WebhookSettings;
import org.bulletin.platform.config.Config;
import org.junit.jupiter.api.Test;

class DeliveryOutcomesTest {
  private final WebhookSettings settings = WebhookSettings.from(Config.of(Map.of(
      "webhook.retry.schedule", "0s,5s,5m,30m", "webhook.retry.jitter", "0.2", "webhook.disable.after", "1h")));
  private final FakeSender sender = new FakeSender();
  private final SubscriptionStore store = new SubscriptionStore();
  private final SubscriptionService subscriptions = new SubscriptionService(store, sender, settings, org.bulletin.feed.webhook.TestCodec.create(), Clock.systemUTC());
  private final DeliveryOutcomes outcomes = new DeliveryOutcomes(sender, settings, subscriptions, new FeedMetrics());
  private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

  private Subscription subscription(String url, String secret, Instant updatedAt) {
    return new Subscription("sub_1", null, url, "d", new Subscription.Filters(null, null, null), true, null, false,
        List.of(new Subscription.SigningSecret(secret, null)), null, t0, updatedAt);
  }

  private static DeliveryTask task(int attempt) {
    return new DeliveryTask("msg_1", "sub_1", "evt-1", "report.published", "r-1", Instant.now(), "{}", attempt,
        0, 0, 0);
  }

  private static AttemptResult status(int status, Instant at) {
    return new AttemptResult(at, status, 5, "", null, null, false);
  }

  @Test
  void a410DisablesTheLatestCopyKeepingAConcurrentSecretRotation() {
    Subscription attempted = subscription("https://a.example/hook", "old-secret", t0);
    store.apply("sub_1", subscription("https://a.example/hook", "rotated-secret", t0.plusSeconds(1)));

    outcomes.handle(task(1), attempted, status(410, Instant.now())).await();

    Subscription now = store.get("sub_1").orElseThrow();
    assertThat(now.enabled()).isFalse();
    assertThat(now.disabledReason()).contains("410");
    assertThat(now.secrets()).extracting(Subscription.SigningSecret::secret).containsExactly("rotated-secret");
  }

  @Test
  void a410FromAUrlChangedSinceTheAttemptDoesNotDisableButRetriesTheNewUrl() {
    Subscription attempted = subscription("https://old.example/hook", "s", t0);
    store.apply("sub_1", subscription("https://new.example/hook", "s", t0.plusSeconds(1)));

    var next = outcomes.handle(task(1), attempted, status(410, Instant.now())).await();

    assertThat(next).isEmpty();
    assertThat(store.get("sub_1").orElseThrow().enabled()).isTrue();
    assertThat(store.get("sub_1").orElseThrow().url()).isEqualTo("https://new.example/hook");
    assertThat(sender.to(settings.retryTopic(Duration.ofSeconds(5)))).hasSize(1);
    assertThat(sender.to(settings.subscriptions().name())).isEmpty();
  }

  @Test
  void failingLongerThanTheLimitDisablesOnlyWhileTheUrlIsTheFailingOne() {
    Subscription old = subscription("https://old.example/hook", "s", t0);
    store.apply("sub_1", old);
    outcomes.handle(task(1), old, status(500, t0)).await();
    // The URL changes while the endpoint keeps failing: the next failure at the old URL is old news.
    store.apply("sub_1", subscription("https://new.example/hook", "s", t0.plusSeconds(10)));
    outcomes.handle(task(2), old, status(500, t0.plus(Duration.ofHours(2)))).await();
    assertThat(store.get("sub_1").orElseThrow().enabled()).isTrue();

    // The new URL starts its own clock: failing at it for 30 minutes is not yet too long.
    Subscription fresh = store.get("sub_1").orElseThrow();
    outcomes.handle(task(2), fresh, status(500, t0.plus(Duration.ofHours(3)))).await();
    outcomes.handle(task(3), fresh, status(500, t0.plus(Duration.ofMinutes(210)))).await();
    assertThat(store.get("sub_1").orElseThrow().enabled()).isTrue();

    outcomes.handle(task(3), fresh, status(500, t0.plus(Duration.ofHours(5)))).await();
    Subscription disabled = store.get("sub_1").orElseThrow();
    assertThat(disabled.enabled()).isFalse();
    assertThat(disabled.url()).isEqualTo("https://new.example/hook");
  }

  private DeliveryTask written(FakeSender.Sent sent) {
    return DeliveryJson.read(sent.value(), DeliveryTask.class);
  }

  @Test
  void everyRecordOfATierWaitsExactlyTheTiersDelaySoItsOrderIsItsDueOrder() {
    Subscription s = subscription("https://a.example/hook", "s", t0);
    store.apply("sub_1", s);
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
    Subscription s = subscription("https://a.example/hook", "s", t0);
    store.apply("sub_1", s);
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
    Subscription s = subscription("https://a.example/hook", "s", t0);
    store.apply("sub_1", s);
    AttemptResult asksForLater = new AttemptResult(Instant.now(), 503, 5, "", null, Duration.ofSeconds(330), false);

    outcomes.handle(task(2), s, asksForLater).await();

    assertThat(sender.to(settings.retryTopic(Duration.ofMinutes(5)))).hasSize(1);
    assertThat(sender.to(settings.retryTopic(Duration.ofMinutes(30)))).isEmpty();
  }

  @Test
  void aRetryAfterLongerThanTheCapIsCappedNotIgnored() {
    Subscription s = subscription("https://a.example/hook", "s", t0);
    store.apply("sub_1", s);
    Instant failedAt = Instant.now();
    AttemptResult asksForMuchLater = new AttemptResult(failedAt, 503, 5, "", null, Duration.ofHours(3), false);

    outcomes.handle(task(2), s, asksForMuchLater).await();

    DeliveryTask retry = written(sender.to(settings.retryTopic(Duration.ofMinutes(30))).get(0));
    assertThat(retry.dueAt()).as("webhook.retry.after.max is 1h")
        .isBetween(failedAt.toEpochMilli() + 3_600_000, failedAt.toEpochMilli() + 3_605_000);
  }

  @Test
  void aRetryShorterThanEveryTierIsRetriedInMemoryNotWrittenToATier() {
    Subscription s = subscription("https://a.example/hook", "s", t0);
    store.apply("sub_1", s);
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
    Subscription s = subscription("http://127.0.0.1:9/hook", "s", t0);
    store.apply("sub_1", s);
    String refusal = "the URL must use https; http is refused unless the operator sets BULLETIN_WEBHOOK_ALLOW_HTTP=true"
        + " (webhook.allow.http)";
    AttemptResult refused = new AttemptResult(Instant.now(), null, 0, null, refusal, null, true);

    var next = outcomes.handle(task(1), s, refused).await();

    assertThat(next).isEmpty();
    Subscription now = store.get("sub_1").orElseThrow();
    assertThat(now.enabled()).isFalse();
    assertThat(now.disabledReason()).contains("BULLETIN_WEBHOOK_ALLOW_HTTP=true").contains("/enable");
    assertThat(sender.to(settings.subscriptions().name())).hasSize(1);
    assertThat(sender.to(settings.deadLetter().name())).hasSize(1);
  }
}
