package org.bulletin.feed.portal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bulletin.feed.webhook.Attempt;

/**
 * An endpoint's last day, from the attempts the attempt log keeps (at most
 * {@code webhook.attempts.kept.per.endpoint}): how many attempts, the share delivered, median and
 * 95th percentile latency of the attempts that got a response, and since when it has been failing
 * (the first failure after its last delivery), if its latest attempt failed.
 *
 * @param successRate delivered attempts over all attempts, or {@code null} without attempts
 * @param failingSince {@code null} unless the latest attempt failed
 */
public record EndpointStats(int attempts, int delivered, Double successRate, Long medianLatencyMs,
    Long p95LatencyMs, Instant failingSince) {
  static final Duration WINDOW = Duration.ofDays(1);

  /** @param newestFirst the endpoint's attempts, newest first */
  public static EndpointStats of(List<Attempt> newestFirst, Instant now) {
    Instant from = now.minus(WINDOW);
    int n = 0;
    int ok = 0;
    List<Long> latencies = new ArrayList<>();
    for (Attempt a : newestFirst) {
      if (a.at().isBefore(from)) {
        break;
      }
      if ("skipped".equals(a.outcome())) {
        continue; // no attempt was made
      }
      n++;
      if ("delivered".equals(a.outcome())) {
        ok++;
      }
      if (a.status() != null) {
        latencies.add(a.latencyMs());
      }
    }
    Collections.sort(latencies);
    Instant failingSince = null;
    for (Attempt a : newestFirst) {
      if ("delivered".equals(a.outcome())) {
        break;
      }
      if (!"skipped".equals(a.outcome())) {
        failingSince = a.at();
      }
    }
    return new EndpointStats(n, ok, n == 0 ? null : (double) ok / n, percentile(latencies, 50),
        percentile(latencies, 95), failingSince);
  }

  private static Long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return null;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  /** "97.5 %", or "no attempts". */
  public String successText() {
    if (successRate == null) {
      return "no attempts";
    }
    double pct = successRate * 100;
    return (pct == Math.rint(pct) ? String.valueOf((long) pct) : String.format(java.util.Locale.ROOT, "%.1f", pct))
        + " %";
  }

  /** "median 42 ms, p95 120 ms", or "no responses". */
  public String latencyText() {
    return medianLatencyMs == null ? "no responses"
        : "median " + medianLatencyMs + " ms, p95 " + p95LatencyMs + " ms";
  }
}
