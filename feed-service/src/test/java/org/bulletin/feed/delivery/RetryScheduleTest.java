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
    assertThat(schedule.baseDelayBefore(1)).isZero();
    assertThat(schedule.baseDelayBefore(3)).isEqualTo(Duration.ofMinutes(5));
  }

  @RepeatedTest(20)
  void jitterNeverMakesARetryEarlierAndStaysBelowTheShortestTier() {
    assertThat(schedule.jitter(Duration.ofMinutes(5)).toMillis()).isBetween(0L, 4_999L);
    assertThat(schedule.jitter(Duration.ofSeconds(5)).toMillis()).as("a fifth of 5 s").isBetween(0L, 999L);
    assertThat(schedule.jitter(Duration.ZERO)).isZero();
  }

  @Test
  void jitterSpreadsRetries() {
    long distinct = java.util.stream.IntStream.range(0, 50).mapToObj(i -> schedule.jitter(Duration.ofMinutes(5)))
        .distinct().count();
    assertThat(distinct).isGreaterThan(10);
  }

  @Test
  void theLargestJitterIsReachedButNotExceeded() {
    RetrySchedule highest = new RetrySchedule(schedule.tiers(), 0.2, () -> 0.999_999);
    assertThat(highest.jitter(Duration.ofHours(10))).isEqualTo(Duration.ofMillis(4_999));
    assertThat(highest.jitter(Duration.ofSeconds(5))).isEqualTo(Duration.ofMillis(999));
  }

  @Test
  void aScheduledDelayIsOneHopInItsOwnTierWhateverTheJitter() {
    for (int attempt = 2; attempt <= schedule.attempts(); attempt++) {
      Duration d = schedule.baseDelayBefore(attempt);
      assertThat(schedule.hops(d.plus(Duration.ofMillis(4_999)))).as("attempt %d", attempt).containsExactly(d);
    }
  }

  @Test
  void aRetryAfterBetweenTiersIsMadeOfHopsEachExactlyATier() {
    assertThat(schedule.hops(Duration.ofSeconds(240))).hasSize(48).containsOnly(Duration.ofSeconds(5));
    assertThat(schedule.hops(Duration.ofSeconds(330))).containsExactly(Duration.ofMinutes(5), Duration.ofSeconds(5),
        Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5),
        Duration.ofSeconds(5));
    assertThat(schedule.hops(Duration.ofHours(20))).as("longer than the largest tier")
        .containsExactly(Duration.ofHours(10), Duration.ofHours(10));
  }

  @Test
  void whatIsLeftBelowTheShortestTierIsNoHop() {
    assertThat(schedule.hop(Duration.ofMillis(4_999))).isEmpty();
    assertThat(schedule.hop(Duration.ZERO)).isEmpty();
    assertThat(schedule.hop(Duration.ofSeconds(-3))).isEmpty();
    assertThat(schedule.hop(Duration.ofSeconds(5))).contains(Duration.ofSeconds(5));
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
