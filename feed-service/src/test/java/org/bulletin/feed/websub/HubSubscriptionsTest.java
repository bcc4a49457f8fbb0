package org.bulletin.feed.websub;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class HubSubscriptionsTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private final HubSubscriptions store = new HubSubscriptions();

  private static HubSubscription sub(String topic, String callback, Instant expires) {
    return new HubSubscription(HubSubscription.keyOf(topic, callback), topic, callback, 60, expires, null, NOW, NOW);
  }

  @Test
  void anExpiredSubscriptionGetsNothingButIsListedUntilRemoved() {
    HubSubscription live = sub("t", "https://a/", NOW.plusSeconds(60));
    HubSubscription over = sub("t", "https://b/", NOW.minusSeconds(1));
    store.apply(live.key(), live);
    store.apply(over.key(), over);
    assertThat(store.active("t", NOW)).containsExactly(live);
    assertThat(store.ofTopic("t")).hasSize(2);
    assertThat(store.expired(NOW)).containsExactly(over);
    store.apply(over.key(), null);
    assertThat(store.ofTopic("t")).containsExactly(live);
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void aReSubscriptionReplacesTheOldRecordAndATombstoneRemovesIt() {
    HubSubscription first = sub("t", "https://a/", NOW.plusSeconds(60));
    HubSubscription renewed = sub("t", "https://a/", NOW.plusSeconds(600));
    store.apply(first.key(), first);
    store.apply(renewed.key(), renewed);
    assertThat(store.active("t", NOW)).containsExactly(renewed);
    store.apply(first.key(), null);
    assertThat(store.active("t", NOW)).isEmpty();
    assertThat(store.size()).isZero();
  }
}
