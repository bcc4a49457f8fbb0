package org.bulletin.platform.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void allowsTheBurstThenAsksToWaitUntilATokenIsBack() {
    RateLimiter limiter = new RateLimiter(2, 3, 100);
    assertThat(limiter.acquire("k", 0)).isZero();
    assertThat(limiter.acquire("k", 0)).isZero();
    assertThat(limiter.acquire("k", 0)).isZero();
    assertThat(limiter.acquire("k", 0)).isEqualTo(1);
    assertThat(limiter.acquire("k", SECOND / 2)).isZero();
    assertThat(limiter.acquire("k", SECOND / 2)).isEqualTo(1);
  }

  @Test
  void eachCredentialHasABucketOfItsOwn() {
    RateLimiter limiter = new RateLimiter(1, 1, 100);
    assertThat(limiter.acquire("a", 0)).isZero();
    assertThat(limiter.acquire("a", 0)).isPositive();
    assertThat(limiter.acquire("b", 0)).isZero();
  }

  @Test
  void zeroPerSecondMeansNoLimit() {
    RateLimiter limiter = new RateLimiter(0, 1, 100);
    for (int i = 0; i < 1000; i++) {
      assertThat(limiter.acquire("k", 0)).isZero();
    }
  }

  @Test
  void keepsAtMostMaxKeysBuckets() {
    RateLimiter limiter = new RateLimiter(1, 1, 16);
    assertThat(limiter.acquire("first", 0)).isZero();
    for (int i = 0; i < 16; i++) {
      limiter.acquire("k" + i, 0);
    }
    // "first" was forgotten, so it starts again with a full bucket.
    assertThat(limiter.acquire("first", 0)).isZero();
  }
}
