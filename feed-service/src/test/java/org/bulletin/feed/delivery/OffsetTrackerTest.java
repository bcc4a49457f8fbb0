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
    tracker.committed(tracker.committable());
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
}
