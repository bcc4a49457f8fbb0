package org.bulletin.feed.delivery;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When each attempt happens, after the event: Standard Webhooks' guidance by default (immediately,
 * 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h). Each retry waits in the retry tier of its delay: a
 * topic whose records all wait the same time, so each partition is due in order.
 */
public final class RetrySchedule {
  private final List<Duration> delays;
  private final double jitter;

  public RetrySchedule(List<Duration> delays, double jitter) {
    if (delays.isEmpty()) {
      throw new IllegalArgumentException("the retry schedule needs at least one attempt");
    }
    this.delays = List.copyOf(delays);
    this.jitter = jitter;
  }

  public static RetrySchedule parse(String schedule, double jitter) {
    return new RetrySchedule(Arrays.stream(schedule.split(",")).map(Durations::parse).toList(), jitter);
  }

  /** How many attempts in all. */
  public int attempts() {
    return delays.size();
  }

  /** The wait before attempt {@code attempt} (1-based), jittered by up to ±jitter. */
  public Duration delayBefore(int attempt) {
    Duration base = delays.get(attempt - 1);
    if (base.isZero() || jitter == 0) {
      return base;
    }
    double factor = 1 + (ThreadLocalRandom.current().nextDouble() * 2 - 1) * jitter;
    return Duration.ofMillis(Math.max(1, Math.round(base.toMillis() * factor)));
  }

  /** The distinct non-zero delays: one retry tier each. */
  public List<Duration> tiers() {
    TreeSet<Duration> set = new TreeSet<>();
    delays.stream().filter(d -> !d.isZero()).forEach(set::add);
    return List.copyOf(set);
  }

  /** The wait before attempt {@code attempt} (1-based) as configured, without jitter. */
  public Duration baseDelayBefore(int attempt) {
    return delays.get(attempt - 1);
  }

  /**
   * The tier a retry waiting {@code delay} goes to: the largest tier not longer than it (the
   * smallest tier when the delay is shorter than every tier). The worker holds a tier's partition
   * until its head's {@code notBefore}, so a task waits its own delay in any tier; a tier longer
   * than the delay would hold it behind tasks due much later (a 5.5-minute retry behind 30-minute
   * ones), while a shorter tier holds those behind it by at most the gap to the next tier.
   */
  public Duration tierFor(Duration delay) {
    List<Duration> tiers = tiers();
    if (tiers.isEmpty()) {
      return Duration.ofSeconds(1);
    }
    Duration chosen = tiers.get(0);
    for (Duration tier : tiers) {
      if (tier.compareTo(delay) <= 0) {
        chosen = tier;
      }
    }
    return chosen;
  }
}
