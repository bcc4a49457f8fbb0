package org.bulletin.feed.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FanOutDuplicateGuardTest {
  private final FanOutDuplicateGuard guard = new FanOutDuplicateGuard(100);

  @Test
  void theSameEventAgainForAReportIsNotNewButAChangeBackIs() {
    guard.begin();
    assertThat(guard.isNew(0, 0, "r1", "e1")).isTrue();
    assertThat(guard.isNew(0, 1, "r1", "e1")).isFalse();
    assertThat(guard.isNew(0, 2, "r1", "e2")).isTrue();
    assertThat(guard.isNew(0, 3, "r1", "e1")).as("content changed back").isTrue();
    guard.commit();
  }

  @Test
  void theSameEventOnAnotherPartitionIsNew() {
    // Partitions were added: the report's next events hash to partition 3.
    guard.begin();
    assertThat(guard.isNew(0, 0, "r1", "e1")).isTrue();
    assertThat(guard.isNew(3, 0, "r1", "e1")).isTrue();
    assertThat(guard.isNew(3, 1, "r1", "e1")).as("a repeat on its new partition").isFalse();
    guard.commit();
  }

  @Test
  void aBatchThatDidNotCommitLeavesNoTrace() {
    guard.begin();
    assertThat(guard.isNew(0, 0, "r1", "e1")).isTrue();
    guard.begin(); // the transaction failed; the batch is read again
    assertThat(guard.isNew(0, 0, "r1", "e1")).isTrue();
    guard.commit();
    guard.begin();
    assertThat(guard.isNew(0, 1, "r1", "e1")).isFalse();
  }

  @Test
  void aPartitionWhoseOffsetsSkipIsForgottenOthersAreKept() {
    guard.begin();
    guard.isNew(0, 0, "r1", "e1");
    guard.isNew(1, 0, "r2", "e2");
    guard.commit();
    guard.begin();
    // Offsets 1..9 of partition 0 were read by another instance: what it saw is unknown here.
    assertThat(guard.isNew(0, 10, "r1", "e1")).isTrue();
    assertThat(guard.isNew(1, 1, "r2", "e2")).isFalse();
  }

  @Test
  void aTombstoneOnlyMovesThePosition() {
    guard.begin();
    guard.isNew(0, 0, "r1", "e1");
    assertThat(guard.isNew(0, 1, "r1", null)).isTrue();
    assertThat(guard.isNew(0, 2, "r1", "e1")).isFalse();
  }
}
