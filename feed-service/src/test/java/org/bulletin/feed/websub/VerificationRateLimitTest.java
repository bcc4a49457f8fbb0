package org.bulletin.feed.websub;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class VerificationRateLimitTest {
  private Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private final VerificationRateLimit limit = new VerificationRateLimit(2, 2, new Clock() {
    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return clock.instant();
    }
  });

  @Test
  void aHostGetsItsLimitPerMinuteAndAgainTheNextMinute() {
    assertThat(limit.tryAcquire("a.test")).isTrue();
    assertThat(limit.tryAcquire("a.test")).isTrue();
    assertThat(limit.tryAcquire("a.test")).isFalse();
    assertThat(limit.tryAcquire("b.test")).as("hosts are counted apart").isTrue();
    clock = Clock.offset(clock, Duration.ofMinutes(1));
    assertThat(limit.tryAcquire("a.test")).isTrue();
  }

  @Test
  void beyondTheCountedHostsANewHostWaitsForTheNextMinute() {
    assertThat(limit.tryAcquire("a.test")).isTrue();
    assertThat(limit.tryAcquire("b.test")).isTrue();
    assertThat(limit.tryAcquire("c.test")).isFalse();
    assertThat(limit.tryAcquire("a.test")).as("a counted host goes on").isTrue();
  }
}
