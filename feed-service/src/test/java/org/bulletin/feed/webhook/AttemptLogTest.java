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
}
