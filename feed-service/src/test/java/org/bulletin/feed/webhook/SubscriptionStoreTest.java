package org.bulletin.feed.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SubscriptionStoreTest {
  private final SubscriptionStore store = new SubscriptionStore();

  @Test
  void hasReadOnlyOnceEveryRecordBeforeTheEndOffsetsWasRead() {
    assertThat(store.hasRead(Map.of(0, 0L, 1, 0L))).isTrue();
    store.read(0, 0);
    store.read(0, 1);
    assertThat(store.hasRead(Map.of(0, 2L))).isTrue();
    assertThat(store.hasRead(Map.of(0, 3L))).isFalse();
    assertThat(store.hasRead(Map.of(0, 2L, 1, 1L))).isFalse();
  }

  @Test
  void ownWritesCountAsReadButNotTheRecordsOfOthersBeforeThem() {
    store.read(0, 0);
    store.wrote(0, 1);
    assertThat(store.hasRead(Map.of(0, 2L))).isTrue();

    store.wrote(0, 3); // offset 2 was written by another instance and is not read yet
    assertThat(store.hasRead(Map.of(0, 4L))).isFalse();
    store.read(0, 1);
    store.read(0, 2);
    assertThat(store.hasRead(Map.of(0, 4L))).isTrue();
  }
}
