package org.bulletin.feed.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.bulletin.feed.delivery.Endpoint;
import org.bulletin.platform.config.Config;
import org.junit.jupiter.api.Test;

class WebhookEndpointsTest {
  private final WebhookSettings settings = WebhookSettings.from(Config.of(Map.of()));
  private final SubscriptionStore store = new SubscriptionStore();
  private final SubscriptionService service = new SubscriptionService(store,
      (topic, key, value) -> Future.succeededFuture(new RecordMetadata(new TopicPartition(topic, 0), 0, 0, 0, 0, 0)),
      settings, TestCodec.create(), Clock.systemUTC());
  private final WebhookEndpoints endpoints = new WebhookEndpoints(store, service, () -> true);
  private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

  private Subscription subscription(String url, List<Subscription.SigningSecret> secrets, Instant updatedAt) {
    return new Subscription("sub_1", null, url, "d", new Subscription.Filters(null, null, null), true, 7, true,
        secrets, null, t0, updatedAt);
  }

  @Test
  void a410DisablesTheLatestCopyKeepingAConcurrentSecretRotation() {
    store.apply("sub_1", subscription("https://a.example/hook",
        List.of(new Subscription.SigningSecret("rotated-secret", null)), t0.plusSeconds(1)));

    endpoints.gone("sub_1", "https://a.example/hook").await();

    Subscription now = store.get("sub_1").orElseThrow();
    assertThat(now.enabled()).isFalse();
    assertThat(now.disabledReason()).contains("410");
    assertThat(now.secrets()).extracting(Subscription.SigningSecret::secret).containsExactly("rotated-secret");
  }

  @Test
  void aFailureAtAUrlTheSubscriptionNoLongerHasDisablesNothing() {
    store.apply("sub_1", subscription("https://new.example/hook",
        List.of(new Subscription.SigningSecret("whsec_x", null)), t0));

    endpoints.disable("sub_1", "https://old.example/hook", "failing").await();

    assertThat(store.get("sub_1").orElseThrow().enabled()).isTrue();
  }

  @Test
  void anEndpointCarriesTheSubscriptionsSettingsAndSignsWithEverySecretInGrace() {
    String current = org.bulletin.feed.delivery.StandardWebhooksSigner.newSecret();
    String previous = org.bulletin.feed.delivery.StandardWebhooksSigner.newSecret();
    store.apply("sub_1", subscription("https://a.example/hook", List.of(
        new Subscription.SigningSecret(current, null),
        new Subscription.SigningSecret(previous, Instant.now().plusSeconds(3600))), t0));

    Endpoint e = endpoints.find("sub_1").orElseThrow();

    assertThat(e.url()).isEqualTo("https://a.example/hook");
    assertThat(e.ordered()).isTrue();
    assertThat(e.rateLimit()).isEqualTo(7);
    var headers = e.signer().headers("msg_1", Instant.now(), "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(headers).containsKeys("webhook-id", "webhook-timestamp", "webhook-signature");
    assertThat(headers.get("webhook-signature").split(" ")).hasSize(2);
    assertThat(endpoints.find("sub_1").orElseThrow()).as("built once per subscription version").isSameAs(e);
    assertThat(endpoints.find("sub_2")).isEmpty();
  }
}
