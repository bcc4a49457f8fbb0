package org.bulletin.feed.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
  private final TopicPartition tp = new TopicPartition("t", 0);

  @Test
  void commitsOnlyUpToTheOldestUnfinishedTask() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.started(tp, 10);
    tracker.started(tp, 11);
    tracker.started(tp, 12);
    tracker.done(tp, 11);
    tracker.done(tp, 12);
    assertThat(tracker.committable()).containsEntry(tp, new OffsetAndMetadata(10));
    tracker.commitSucceeded(tracker.committable());
    assertThat(tracker.committable()).isEmpty();
    tracker.done(tp, 10);
    assertThat(tracker.committable()).containsEntry(tp, new OffsetAndMetadata(13));
    assertThat(tracker.inFlightCount()).isZero();
  }

  @Test
  void skippedRecordsMoveThePositionAndRevokedPartitionsAreForgotten() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.skipped(tp, 4);
    assertThat(tracker.committable()).containsEntry(tp, new OffsetAndMetadata(5));
    tracker.started(tp, 5);
    tracker.forget(List.of(tp));
    assertThat(tracker.inFlightCount()).isZero();
    assertThat(tracker.committable()).isEmpty();
  }

  @Test
  void anAsyncCommitCountsOnlyOnceTheBrokerConfirmedIt() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.started(tp, 0);
    tracker.done(tp, 0);
    var offsets = tracker.committable();
    assertThat(offsets).containsEntry(tp, new OffsetAndMetadata(1));
    tracker.commitRequested(offsets);
    assertThat(tracker.committable()).as("not sent twice while under way").isEmpty();
    tracker.commitFailed(offsets);
    assertThat(tracker.committable()).as("offered again after the failure").containsEntry(tp, new OffsetAndMetadata(1));
    tracker.commitRequested(offsets);
    tracker.commitSucceeded(offsets);
    assertThat(tracker.committable()).isEmpty();
  }

  @Test
  void aLateConfirmationOfAnOlderCommitDoesNotHideANewerPoint() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.started(tp, 0);
    tracker.done(tp, 0);
    var first = tracker.committable();
    tracker.commitRequested(first);
    tracker.started(tp, 1);
    tracker.done(tp, 1);
    var second = tracker.committable();
    assertThat(second).containsEntry(tp, new OffsetAndMetadata(2));
    tracker.commitRequested(second);
    tracker.commitFailed(second);
    tracker.commitSucceeded(first);
    assertThat(tracker.committable()).containsEntry(tp, new OffsetAndMetadata(2));
  }
}
