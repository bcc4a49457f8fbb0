package org.bulletin.feed.websub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.bulletin.feed.delivery.Endpoint;
import org.bulletin.feed.metrics.FeedMetrics;
import org.bulletin.feed.secrets.SecretKeys;
import org.bulletin.feed.secrets.SecretSealer;
import org.bulletin.platform.config.Config;
import org.junit.jupiter.api.Test;

/** Signers of WebSub subscribers: one per subscription held, replaced with its secret, gone with it. */
class WebSubEndpointsTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final String TOPIC = "https://f.test/feeds/reports.atom";
  private final HubSubscriptionCodec codec = new HubSubscriptionCodec(new SecretSealer(SecretKeys.from(Config.of(
      java.util.Map.of("secrets.keys", "k1:zGuKOYE2eX0ttiv18NM8vT0OtLlS4Krt5q8zg0f0N7o=")))));
  private final HubSubscriptions store = new HubSubscriptions();
  private final WebSubEndpoints endpoints = new WebSubEndpoints(store, codec, null, () -> true, new FeedMetrics(),
      Clock.fixed(NOW, ZoneOffset.UTC));

  private HubSubscription subscribe(String callback, String secret) {
    String key = HubSubscription.keyOf(TOPIC, callback);
    HubSubscription s = new HubSubscription(key, TOPIC, callback, 3600, NOW.plusSeconds(3600),
        codec.seal(secret, key), NOW, NOW);
    store.apply(key, s);
    return s;
  }

  private String signature(String key, String body) {
    Endpoint e = endpoints.find(key).orElseThrow();
    return e.signer().headers("m", NOW, body.getBytes(StandardCharsets.UTF_8)).get("X-Hub-Signature");
  }

  @Test
  void aResubscriptionWithANewSecretReplacesItsSignerAndARemovedSubscriptionLeavesNone() {
    store.onRemoved(endpoints::forget);
    HubSubscription a = subscribe("https://a.test/cb", "first-secret");
    HubSubscription b = subscribe("https://b.test/cb", "other-secret");
    String first = signature(a.key(), "<feed/>");
    signature(a.key(), "<feed/>");
    signature(b.key(), "<feed/>");
    assertThat(endpoints.signersHeld()).isEqualTo(2);

    subscribe("https://a.test/cb", "second-secret");
    String second = signature(a.key(), "<feed/>");
    assertThat(second).isNotEqualTo(first);
    assertThat(endpoints.signersHeld()).as("one per subscription, not one per secret").isEqualTo(2);

    store.apply(a.key(), null);
    assertThat(endpoints.signersHeld()).isEqualTo(1);
  }
}
