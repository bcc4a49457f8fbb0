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

  @Test
  void aSubscriptionAddedWhileAnotherOfItsTopicEndsOnAnotherThreadIsNeverLostFromTheTopic() throws Exception {
    // The delivery engine's shards end subscriptions (410, failing) while the tailer adds others.
    java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 5_000; round++) {
        String topic = "t" + round;
        HubSubscription leaving = sub(topic, "https://a/", NOW.plusSeconds(60));
        HubSubscription joining = sub(topic, "https://b/", NOW.plusSeconds(60));
        store.apply(leaving.key(), leaving);
        java.util.concurrent.CyclicBarrier both = new java.util.concurrent.CyclicBarrier(2);
        var end = threads.submit(() -> {
          both.await();
          store.apply(leaving.key(), null);
          return null;
        });
        var add = threads.submit(() -> {
          both.await();
          store.apply(joining.key(), joining);
          return null;
        });
        end.get();
        add.get();
        assertThat(store.ofTopic(topic)).as("round " + round).containsExactly(joining);
        assertThat(store.active(topic, NOW)).containsExactly(joining);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void anEndedSubscriptionIsRememberedBoundedUntilItIsRenewed() {
    HubSubscriptions small = new HubSubscriptions(2);
    HubSubscription a = sub("t", "https://a/", NOW.plusSeconds(60));
    small.apply(a.key(), a);
    assertThat(small.ended(a.key())).isFalse();
    small.apply(a.key(), null);
    assertThat(small.ended(a.key())).isTrue();
    small.apply(a.key(), a);
    assertThat(small.ended(a.key())).as("subscribed again").isFalse();
    small.apply("k1", null);
    small.apply("k2", null);
    small.apply("k3", null);
    assertThat(small.ended("k1")).as("the oldest forgotten").isFalse();
    assertThat(small.ended("k3")).isTrue();
  }

  @Test
  void theTasksOfAnEndedSubscriptionFindADisabledEndpointNotAnUnknownOne() {
    HubSubscription a = sub("t", "https://a/", NOW.plusSeconds(60));
    store.apply(a.key(), a);
    store.apply(a.key(), null);
    WebSubEndpoints endpoints = new WebSubEndpoints(store, null, null, () -> true, null,
        java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC));
    assertThat(endpoints.find(a.key())).hasValueSatisfying(e -> {
      assertThat(e.enabled()).isFalse();
      assertThat(e.disabledReason()).contains("ended");
    });
    assertThat(endpoints.find("ws_never")).as("unknown: the engine waits for it").isEmpty();
  }
}
