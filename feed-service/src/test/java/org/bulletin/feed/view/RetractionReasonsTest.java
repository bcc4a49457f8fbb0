package org.bulletin.feed.view;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetractionReasonsTest {
  @Test
  void theReasonsReadLongestAgoGoFirstOnceTheBytesAreSpent() {
    RetractionReasons reasons = new RetractionReasons(1_000);
    for (int i = 0; i < 100; i++) {
      reasons.put("report-" + i, "withdrawn: duplicate of another report " + i);
    }
    assertThat(reasons.bytes()).isLessThanOrEqualTo(1_000);
    assertThat(reasons.size()).isBetween(1, 10);
    assertThat(reasons.get("report-99")).contains("withdrawn: duplicate of another report 99");
    assertThat(reasons.get("report-0")).isEmpty();
  }

  @Test
  void replacingOrRemovingAReasonKeepsTheCountExact() {
    RetractionReasons reasons = new RetractionReasons(10_000);
    reasons.put("a", "first");
    long one = reasons.bytes();
    reasons.put("a", "first");
    assertThat(reasons.bytes()).isEqualTo(one);
    reasons.remove("a");
    assertThat(reasons.bytes()).isZero();
    assertThat(reasons.get("a")).isEmpty();
  }

  @Test
  void aReasonLargerThanTheBoundIsNotKeptAndZeroKeepsNone() {
    RetractionReasons small = new RetractionReasons(100);
    small.put("a", "x".repeat(500));
    assertThat(small.get("a")).isEmpty();
    RetractionReasons none = new RetractionReasons(0);
    none.put("a", "b");
    assertThat(none.size()).isZero();
  }
}
