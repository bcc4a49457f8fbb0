package org.bulletin.feed.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
  private final RetrySchedule schedule = RetrySchedule.parse("0s,5s,5m,30m,2h,5h,10h,10h", 0.2);

  @Test
  void defaultScheduleHasEightAttemptsInSixTiers() {
    assertThat(schedule.attempts()).isEqualTo(8);
    assertThat(schedule.tiers()).extracting(Durations::format).containsExactly("5s", "5m", "30m", "2h", "5h", "10h");
    assertThat(schedule.delayBefore(1)).isZero();
  }

  @RepeatedTest(20)
  void retriesAreJitteredWithinBounds() {
    Duration d = schedule.delayBefore(3);
    assertThat(d.toMillis()).isBetween(240_000L, 360_000L);
  }

  @Test
  void jitterSpreadsRetries() {
    long distinct = java.util.stream.IntStream.range(0, 50).mapToObj(i -> schedule.delayBefore(2)).distinct().count();
    assertThat(distinct).isGreaterThan(10);
  }

  @Test
  void aRetryGoesToTheLargestTierNotLongerThanItsDelay() {
    assertThat(schedule.tierFor(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
    assertThat(schedule.tierFor(Duration.ofSeconds(330))).as("5.5 minutes").isEqualTo(Duration.ofMinutes(5));
    assertThat(schedule.tierFor(Duration.ofMinutes(29))).isEqualTo(Duration.ofMinutes(5));
    assertThat(schedule.tierFor(Duration.ofMinutes(30))).isEqualTo(Duration.ofMinutes(30));
    assertThat(schedule.tierFor(Duration.ofHours(20))).isEqualTo(Duration.ofHours(10));
  }

  @Test
  void aDelayShorterThanEveryTierGoesToTheShortestTier() {
    assertThat(schedule.tierFor(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(5));
    assertThat(schedule.tierFor(Duration.ZERO)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void baseDelayIsTheConfiguredDelayWithoutJitter() {
    assertThat(schedule.baseDelayBefore(3)).isEqualTo(Duration.ofMinutes(5));
    assertThat(schedule.tierFor(schedule.baseDelayBefore(3))).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void durationsRoundTrip() {
    for (String s : new String[] {"250ms", "5s", "5m", "2h", "5d", "0s"}) {
      assertThat(Durations.format(Durations.parse(s))).isEqualTo(s);
    }
  }

  @Test
  void retryAfterHeaderInSecondsOrHttpDate() {
    assertThat(HttpDeliverer.retryAfter("120")).isEqualTo(Duration.ofMinutes(2));
    assertThat(HttpDeliverer.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
    assertThat(HttpDeliverer.retryAfter("soon")).isNull();
    assertThat(HttpDeliverer.retryAfter(null)).isNull();
  }
}
