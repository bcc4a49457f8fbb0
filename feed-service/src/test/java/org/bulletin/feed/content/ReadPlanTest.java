package org.bulletin.feed.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReadPlanTest {
  private static long p(int partition, long offset) {
    return Position.of(partition, offset);
  }

  @Test
  void groupsPositionsByPartitionWithOffsetsAscending() {
    ReadPlan plan = ReadPlan.of(new long[] {p(2, 7), p(0, 5), p(2, 3), p(0, 1), p(1, 9)}, 100);

    assertThat(plan.runs()).extracting(ReadPlan.Run::partition).containsExactly(0, 1, 2);
    assertThat(plan.runs().get(0).offsets()).containsExactly(1, 5);
    assertThat(plan.runs().get(1).offsets()).containsExactly(9);
    assertThat(plan.runs().get(2).offsets()).containsExactly(3, 7);
  }

  @Test
  void startsANewRunWhereTheGapExceedsTheBound() {
    ReadPlan plan = ReadPlan.of(new long[] {p(0, 100), p(0, 104), p(0, 108), p(0, 109), p(0, 500), p(0, 503)}, 4);

    assertThat(plan.runs()).hasSize(2);
    assertThat(plan.runs().get(0).offsets()).containsExactly(100, 104, 108, 109);
    assertThat(plan.runs().get(1).offsets()).containsExactly(500, 503);
    // No run reads more than the bound between two wanted offsets.
    for (ReadPlan.Run run : plan.runs()) {
      for (int i = 1; i < run.offsets().length; i++) {
        assertThat(run.offsets()[i] - run.offsets()[i - 1]).isLessThanOrEqualTo(4);
      }
    }
  }

  @Test
  void aGapOfZeroSeeksToEveryOffset() {
    ReadPlan plan = ReadPlan.of(new long[] {p(0, 3), p(0, 4), p(0, 5)}, 0);

    assertThat(plan.runs()).extracting(ReadPlan.Run::first).containsExactly(3L, 4L, 5L);
  }

  @Test
  void readsAPositionAskedTwiceOnce() {
    ReadPlan plan = ReadPlan.of(new long[] {p(1, 8), p(1, 8), p(1, 2), p(1, 2)}, 10);

    assertThat(plan.runs()).hasSize(1);
    assertThat(plan.runs().get(0).offsets()).containsExactly(2, 8);
  }

  @Test
  void keepsEachPartitionsRunsTogetherInOffsetOrder() {
    ReadPlan plan = ReadPlan.of(new long[] {p(1, 900), p(0, 50), p(1, 10), p(0, 1), p(1, 11)}, 5);

    List<List<ReadPlan.Run>> byPartition = plan.byPartition();
    assertThat(byPartition).hasSize(2);
    assertThat(byPartition.get(0)).extracting(ReadPlan.Run::first).containsExactly(1L, 50L);
    assertThat(byPartition.get(1)).extracting(ReadPlan.Run::first).containsExactly(10L, 900L);
    assertThat(byPartition.get(1).get(0).offsets()).containsExactly(10, 11);
  }

  @Test
  void anEmptyRequestHasNoRuns() {
    assertThat(ReadPlan.of(new long[0], 10).runs()).isEmpty();
    assertThat(ReadPlan.of(new long[0], 10).byPartition()).isEmpty();
  }
}
