package org.bulletin.feed.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailingClockTest {
  private final FailingClock clock = new FailingClock(100);
  private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
  private final String url = UrlHash.of("https://a.example/hook?token=secret");

  private AttemptRecord record(String outcome, Instant at, String urlHash) {
    return new AttemptRecord("webhook", "sub_1", "m", Map.of(), 1, at, 500, 1, null, null, outcome, null, 0, 0,
        urlHash);
  }

  @Test
  void theClockStartsAtTheFirstFailureAfterTheLastSuccessWhateverOrderTheyArriveIn() {
    clock.fold(record("retrying", t0.plusSeconds(300), url));
    clock.fold(record("delivered", t0.plusSeconds(100), url));
    clock.fold(record("retrying", t0.plusSeconds(50), url)); // before the success: does not count
    clock.fold(record("failed", t0.plusSeconds(200), url));

    assertThat(clock.since("webhook", "sub_1", url)).isEqualTo(t0.plusSeconds(200));
    assertThat(clock.failed("webhook", "sub_1", url, t0.plusSeconds(400))).isEqualTo(t0.plusSeconds(200));
  }

  @Test
  void aSuccessOrADisablingStopsTheClockAndANewUrlStartsItsOwn() {
    clock.fold(record("retrying", t0, url));
    clock.fold(record("delivered", t0.plusSeconds(10), url));
    assertThat(clock.since("webhook", "sub_1", url)).isNull();

    clock.fold(record("retrying", t0.plusSeconds(20), url));
    clock.fold(record("disabled", t0.plusSeconds(30), url));
    assertThat(clock.since("webhook", "sub_1", url)).isNull();

    String other = UrlHash.of("https://b.example/hook");
    clock.fold(record("retrying", t0.plusSeconds(40), url));
    assertThat(clock.failed("webhook", "sub_1", other, t0.plusSeconds(50))).isEqualTo(t0.plusSeconds(50));
    clock.fold(record("retrying", t0.plusSeconds(45), url)); // at the old URL, read late: old news
    assertThat(clock.since("webhook", "sub_1", other)).isEqualTo(t0.plusSeconds(50));
  }

  @Test
  void recordsWithoutAUrlHashAndSkipsDoNotCount() {
    clock.fold(record("retrying", t0, null));
    clock.fold(record("skipped", t0, url));
    assertThat(clock.since("webhook", "sub_1", url)).isNull();
  }

  @Test
  void reEnablingByHandIgnoresFailuresFromBeforeReadLate() {
    clock.fold(record("retrying", t0, url));
    clock.reset("webhook", "sub_1", t0.plus(Duration.ofHours(1)));
    clock.fold(record("retrying", t0.plusSeconds(60), url));
    assertThat(clock.since("webhook", "sub_1", url)).isNull();
  }

  @Test
  void aReEnablingReadBeforeTheFailuresItFollowsStillKeepsThemFromCounting() {
    clock.cleared("webhook", "sub_1", url, t0.plusSeconds(100)); // re-enabled, as another instance saw it
    clock.fold(record("retrying", t0, url));
    clock.fold(record("retrying", t0.plusSeconds(150), url));
    assertThat(clock.since("webhook", "sub_1", url)).isEqualTo(t0.plusSeconds(150));
  }

  @Test
  void itKeepsAtMostItsBoundOfEndpoints() {
    for (int i = 0; i < 250; i++) {
      clock.failed("webhook", "sub_" + i, url, t0);
    }
    assertThat(clock.size()).isEqualTo(100);
    assertThat(clock.since("webhook", "sub_249", url)).isEqualTo(t0);
    assertThat(clock.since("webhook", "sub_0", url)).isNull();
  }
}
