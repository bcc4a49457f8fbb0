package org.bulletin.feed.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bulletin.feed.webhook.Attempt;
import org.junit.jupiter.api.Test;

class EndpointStatsTest {
  private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

  private static Attempt attempt(Duration ago, String outcome, Integer status, long latency) {
    return new Attempt("msg_1", "sub_1", "evt_" + ago.toMillis(), "report.published", "r", 1, NOW.minus(ago), status,
        latency, null, status == null ? "connection refused" : null, outcome, null, 0, 0);
  }

  @Test
  void countsTheLastDayOnly() {
    List<Attempt> newestFirst = List.of(
        attempt(Duration.ofMinutes(1), "delivered", 200, 10),
        attempt(Duration.ofMinutes(2), "retrying", 500, 30),
        attempt(Duration.ofMinutes(3), "delivered", 204, 20),
        attempt(Duration.ofHours(25), "failed", 500, 999));
    EndpointStats stats = EndpointStats.of(newestFirst, NOW);
    assertThat(stats.attempts()).isEqualTo(3);
    assertThat(stats.delivered()).isEqualTo(2);
    assertThat(stats.successText()).isEqualTo("66.7 %");
    assertThat(stats.medianLatencyMs()).isEqualTo(20);
    assertThat(stats.p95LatencyMs()).isEqualTo(30);
    assertThat(stats.failingSince()).as("the latest attempt was delivered").isNull();
  }

  @Test
  void failingSinceIsTheFirstFailureAfterTheLastDelivery() {
    List<Attempt> newestFirst = List.of(
        attempt(Duration.ofMinutes(1), "retrying", null, 0),
        attempt(Duration.ofMinutes(5), "skipped", null, 0),
        attempt(Duration.ofMinutes(9), "retrying", 503, 40),
        attempt(Duration.ofMinutes(20), "delivered", 200, 10),
        attempt(Duration.ofMinutes(30), "failed", 500, 10));
    EndpointStats stats = EndpointStats.of(newestFirst, NOW);
    assertThat(stats.failingSince()).isEqualTo(NOW.minus(Duration.ofMinutes(9)));
    assertThat(stats.attempts()).as("a skipped task is no attempt").isEqualTo(4);
    assertThat(stats.latencyText()).as("only attempts with a response have a latency")
        .isEqualTo("median 10 ms, p95 40 ms");
  }

  @Test
  void saysSoWhenThereIsNothingToMeasure() {
    EndpointStats stats = EndpointStats.of(new ArrayList<>(), NOW);
    assertThat(stats.successText()).isEqualTo("no attempts");
    assertThat(stats.latencyText()).isEqualTo("no responses");
    assertThat(stats.failingSince()).isNull();
  }
}
