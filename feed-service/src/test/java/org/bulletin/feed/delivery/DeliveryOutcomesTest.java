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

  @Test
  void aRetryOfFiveAndAHalfMinutesWaitsInTheFiveMinuteTier() {
    Subscription s = subscription("https://a.example/hook", "s", t0);
    store.apply("sub_1", s);
    AttemptResult asksForLater = new AttemptResult(Instant.now(), 503, 5, "", null, Duration.ofSeconds(330), false);

    outcomes.handle(task(2), s, asksForLater).await();

    assertThat(sender.to(settings.retryTopic(Duration.ofMinutes(5)))).hasSize(1);
    assertThat(sender.to(settings.retryTopic(Duration.ofMinutes(30)))).isEmpty();
  }

  @Test
  void aJitteredScheduledRetryWaitsInItsOwnTier() {
    Subscription s = subscription("https://a.example/hook", "s", t0);
    store.apply("sub_1", s);
    for (int i = 0; i < 20; i++) {
      outcomes.handle(task(2), s, status(500, Instant.now())).await();
    }
    assertThat(sender.to(settings.retryTopic(Duration.ofMinutes(5)))).hasSize(20);
  }
}
