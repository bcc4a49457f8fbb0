package org.bulletin.feed.consume;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ViewLagTest {
  private static final TopicPartition P0 = new TopicPartition("reports", 0);
  private static final TopicPartition P1 = new TopicPartition("reports", 1);
  private final AtomicLong now = new AtomicLong();
  private final ViewLag lag = new ViewLag(60, now::get);

  private void after(long seconds) {
    now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
  }

  @Test
  void aViewThatReachesEachMarkUnderSteadyLoadKeepsUpHoweverLargeItsLag() {
    long applied = 0;
    for (int i = 0; i < 100; i++) {
      // 5000 records behind at every poll, but what the topic held 10 s ago is always applied.
      lag.observe(Map.of(P0, applied), Map.of(P0, applied + 5000));
      applied += 5000;
      after(10);
      assertThat(lag.problem()).isNull();
    }
  }

  @Test
  void aViewThatNeverReachesWhatTheTopicHeldLongAgoIsReportedWithTheReason() {
    long applied = 0;
    long end = 1000;
    for (int i = 0; i < 6; i++) {
      lag.observe(Map.of(P0, applied, P1, 0L), Map.of(P0, end, P1, 10L));
      applied += 100; // applies 100 a step while 1000 arrive
      end += 1000;
      after(10);
    }
    assertThat(lag.problem()).isNull(); // 60 s, not more
    lag.observe(Map.of(P0, applied, P1, 0L), Map.of(P0, end, P1, 10L));
    after(5);
    assertThat(lag.problem()).contains("cannot keep up").contains("65 s ago").contains("lag " + (end - applied + 10));
    assertThat(lag.behindSeconds()).isEqualTo(65);
  }

  @Test
  void aViewThatStopsApplyingWhileBehindIsReportedWithoutFurtherObservations() {
    lag.observe(Map.of(P0, 0L), Map.of(P0, 10L));
    after(61);
    assertThat(lag.problem()).contains("61 s ago");
  }

  @Test
  void catchingUpClearsTheProblem() {
    lag.observe(Map.of(P0, 0L), Map.of(P0, 10L));
    after(90);
    assertThat(lag.problem()).isNotNull();
    lag.observe(Map.of(P0, 10L), Map.of(P0, 10L));
    assertThat(lag.problem()).isNull();
    assertThat(lag.behindSeconds()).isZero();
  }

  @Test
  void nothingIsReportedBeforeTheFirstObservation() {
    after(1000);
    assertThat(lag.problem()).isNull();
  }
}
