package org.bulletin.feed.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AttemptLogTest {
  private static Attempt attempt(String sub, String event, int n, String snippet) {
    return new Attempt("msg_" + event + sub, sub, event, "report.published", "r", n, Instant.now(), 500, 3, snippet,
        null, "retrying", null, 0, n);
  }

  @Test
  void aHugeSnippetIsCutToTheConfiguredBytesWithoutSplittingACharacter() {
    AttemptLog log = new AttemptLog(100, 100, 1_000_000);
    log.add(attempt("s1", "e1", 1, "é".repeat(10_000)));

    String kept = log.forEvent("e1").get(0).responseSnippet();
    assertThat(kept.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(100);
    assertThat(kept).isEqualTo("é".repeat(50));
  }

  @Test
  void memoryStaysWithinTheByteBoundAndTheOldestAttemptsGoFirst() {
    long max = 200_000;
    AttemptLog log = new AttemptLog(1_000_000, 4096, max);
    for (int i = 0; i < 10_000; i++) {
      log.add(attempt("s" + (i % 7), "e" + i, 1, "x".repeat(i % 4096)));
      assertThat(log.bytes()).isLessThanOrEqualTo(max);
    }
    assertThat(log.forEvent("e0")).isEmpty();
    assertThat(log.forEvent("e9999")).hasSize(1);
    assertThat(log.forEndpoint("s6", null, 1_000_000)).isNotEmpty()
        .allSatisfy(a -> assertThat(Integer.parseInt(a.eventId().substring(1))).isGreaterThan(9000));
  }

  @Test
  void aDeletedEndpointsAttemptsAreForgottenAndTheirBytesFreed() {
    AttemptLog log = new AttemptLog(1000, 4096, 10_000_000);
    log.add(attempt("keep", "e1", 1, "a"));
    long one = log.bytes();
    for (int i = 0; i < 50; i++) {
      log.add(attempt("gone", "e" + i, 1, "b".repeat(1000)));
    }
    log.removeEndpoint("gone");

    assertThat(log.forEndpoint("gone", null, 100)).isEmpty();
    assertThat(log.forEvent("e2")).isEmpty();
    assertThat(log.forEvent("e1")).extracting(Attempt::subscriptionId).containsExactly("keep");
    assertThat(log.bytes()).isEqualTo(one);
  }

  @Test
  void eachEndpointKeepsItsNewestAttemptsUpToItsCount() {
    AttemptLog log = new AttemptLog(10, 4096, 10_000_000);
    for (int i = 0; i < 25; i++) {
      log.add(attempt("s1", "e" + i, 1, null));
    }
    assertThat(log.forEndpoint("s1", null, 100)).hasSize(10).first()
        .extracting(Attempt::eventId).isEqualTo("e24");
    assertThat(log.forEvent("e0")).isEmpty();
  }

  private static Attempt attemptAt(String sub, String event, Instant at) {
    return new Attempt("msg_" + event + sub, sub, event, "report.published", "r", 1, at, 500, 3, null, null,
        "retrying", null, 0, 1);
  }

  @Test
  void olderAttemptsReadAfterNewerOnesListBelowThemAndNeverPushThemOut() {
    // A restarted instance makes new attempts at once; its tailer then reads the earlier run's.
    AttemptLog log = new AttemptLog(3, 4096, 10_000_000);
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    log.add(attemptAt("s1", "new1", t0.plusSeconds(100)));
    log.add(attemptAt("s1", "new2", t0.plusSeconds(101)));
    for (int i = 0; i < 5; i++) {
      log.add(attemptAt("s1", "old" + i, t0.plusSeconds(i)));
    }
    assertThat(log.forEndpoint("s1", null, 10)).extracting(Attempt::eventId).containsExactly("new2", "new1", "old4");

    log.add(attemptAt("s1", "old5", t0.plusSeconds(5)));
    assertThat(log.forEndpoint("s1", null, 10)).extracting(Attempt::eventId).containsExactly("new2", "new1", "old5");
    assertThat(log.forEvent("old4")).as("pushed out by a newer one").isEmpty();
  }

  @Test
  void anEventsAttemptsAreListedOldestFirstWhateverOrderTheyArrivedIn() {
    AttemptLog log = new AttemptLog(10, 4096, 10_000_000);
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    log.add(new Attempt("m", "s2", "e1", "report.published", "r", 2, t0.plusSeconds(10), 200, 3, null, null,
        "delivered", null, 0, 1));
    log.add(new Attempt("m", "s1", "e1", "report.published", "r", 1, t0, 500, 3, null, null, "retrying", null, 0,
        1));
    assertThat(log.forEvent("e1")).extracting(Attempt::subscriptionId).containsExactly("s1", "s2");
  }

  @Test
  void theByteBoundDropsTheOldestByTimeNotByArrival() {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    long one = AttemptLog.estimate(attemptAt("s1", "e0", t0));
    AttemptLog log = new AttemptLog(100, 4096, one * 3);
    log.add(attemptAt("s1", "e1", t0.plusSeconds(50)));
    log.add(attemptAt("s2", "e2", t0.plusSeconds(60)));
    log.add(attemptAt("s3", "e3", t0.plusSeconds(70)));
    log.add(attemptAt("s4", "e0", t0)); // the oldest, arriving last
    assertThat(log.forEvent("e0")).isEmpty();
    assertThat(log.forEvent("e1")).hasSize(1);
    assertThat(log.bytes()).isLessThanOrEqualTo(one * 3);
  }
}
