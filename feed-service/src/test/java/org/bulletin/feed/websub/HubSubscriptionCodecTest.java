package org.bulletin.feed.websub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.bulletin.feed.secrets.SecretKeys;
import org.bulletin.feed.secrets.SecretSealer;
import org.bulletin.platform.config.Config;
import org.junit.jupiter.api.Test;

class HubSubscriptionCodecTest {
  private final HubSubscriptionCodec codec = new HubSubscriptionCodec(new SecretSealer(SecretKeys.from(Config.of(
      java.util.Map.of("secrets.keys", "k1:zGuKOYE2eX0ttiv18NM8vT0OtLlS4Krt5q8zg0f0N7o=")))));

  private HubSubscription subscription(String secret) {
    String key = HubSubscription.keyOf("https://f.test/feeds/reports.atom", "https://s.test/cb");
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    return new HubSubscription(key, "https://f.test/feeds/reports.atom", "https://s.test/cb", 3600,
        now.plusSeconds(3600), codec.seal(secret, key), now, now);
  }

  @Test
  void roundTripsWithTheSecretSealedAtRest() {
    HubSubscription s = subscription("top-secret-value");
    byte[] record = codec.encode(s);
    assertThat(new String(record, StandardCharsets.UTF_8)).doesNotContain("top-secret-value").contains("enc:v1:k1:");
    HubSubscription back = codec.decode(s.key(), record);
    assertThat(back).isEqualTo(s);
    assertThat(codec.open(back)).isEqualTo("top-secret-value");
  }

  @Test
  void aSealedSecretCopiedUnderAnotherKeyDoesNotOpen() {
    HubSubscription s = subscription("top-secret-value");
    HubSubscription moved = codec.decode("ws_other", codec.encode(s));
    assertThatThrownBy(() -> codec.open(moved)).isInstanceOf(org.bulletin.feed.secrets.SecretUnreadableException.class);
  }

  @Test
  void withoutASecretThereIsNoneToOpen() {
    HubSubscription s = subscription(null);
    assertThat(codec.open(codec.decode(s.key(), codec.encode(s)))).isNull();
  }

  @Test
  void aClearSecretOrBrokenRecordIsRefused() {
    assertThatThrownBy(() -> codec.decode("k", "{\"topic\":\"t\",\"callback\":\"c\",\"expiresAt\":\"2026-01-01T00:00:00Z\",\"verifiedAt\":\"2026-01-01T00:00:00Z\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"secret\":\"clear\"}"
        .getBytes(StandardCharsets.UTF_8))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> codec.decode("k", "{".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theKeyDependsOnTopicAndCallbackOnly() {
    assertThat(HubSubscription.keyOf("a", "b")).isEqualTo(HubSubscription.keyOf("a", "b"))
        .isNotEqualTo(HubSubscription.keyOf("a", "c")).isNotEqualTo(HubSubscription.keyOf("ab", ""));
  }
}
