package org.bulletin.feed.delivery;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.DoubleSupplier;

/**
 * When each attempt happens: Standard Webhooks' guidance by default (immediately, then 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h, 10 h after the previous failure).
 *
 * <p>A retry waits in retry tiers: one topic per distinct delay of the schedule, and every record
 * of a tier waits exactly that tier's delay from when it was written, so a tier's partitions are
 * FIFO in due order and the head of each tells when the next record is due. A wait is made of
 * hops: each hop goes to the largest tier not longer than what remains; what remains below the
 * shortest tier (the jitter, or the tail of a {@code Retry-After}) is waited in memory at
 * release, its offset uncommitted.
 */
public final class RetrySchedule {
  private final List<Duration> delays;
  private final double jitter;
  private final List<Duration> tiers;
  private final DoubleSupplier random;

  public RetrySchedule(List<Duration> delays, double jitter) {
    this(delays, jitter, () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
  }

  /** @param random uniform in [0, 1); tests fix it */
  RetrySchedule(List<Duration> delays, double jitter, DoubleSupplier random) {
    if (delays.isEmpty()) {
      throw new IllegalArgumentException("the retry schedule needs at least one attempt");
    }
    if (jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException("the retry jitter must be between 0 and 1, not " + jitter);
    }
    this.delays = List.copyOf(delays);
    this.jitter = jitter;
    this.random = random;
    TreeSet<Duration> set = new TreeSet<>();
    delays.stream().filter(d -> !d.isZero()).forEach(set::add);
    this.tiers = List.copyOf(set);
  }

  public static RetrySchedule parse(String schedule, double jitter) {
    return new RetrySchedule(Arrays.stream(schedule.split(",")).map(Durations::parse).toList(), jitter);
  }

  /** How many attempts in all. */
  public int attempts() {
    return delays.size();
  }

  /** The wait before attempt {@code attempt} (1-based) as configured, without jitter. */
  public Duration baseDelayBefore(int attempt) {
    return delays.get(attempt - 1);
  }

  /** The distinct non-zero delays: one retry tier each, shortest first. */
  public List<Duration> tiers() {
    return tiers;
  }

  /** The shortest tier (where deferred tasks are parked); 1 s when the schedule has no retry. */
  public Duration shortestTier() {
    return tiers.isEmpty() ? Duration.ofSeconds(1) : tiers.get(0);
  }

  /**
   * The extra wait added to a retry's delay to spread retries that failed together: uniform in
   * [0, min(jitter × delay, shortest tier)). Never negative, so no retry comes before its delay;
   * bounded by the shortest tier, so it is waited in memory at release and never costs hops.
   */
  public Duration jitter(Duration delay) {
    if (delay.isZero() || jitter == 0) {
      return Duration.ZERO;
    }
    long bound = Math.min(Math.round(delay.toMillis() * jitter), shortestTier().toMillis());
    return Duration.ofMillis((long) (random.getAsDouble() * bound));
  }

  /**
   * The tier of the next hop of a retry that still has {@code remaining} to wait: the largest tier
   * not longer than it, or empty when it is shorter than every tier (then it is waited in memory).
   */
  public Optional<Duration> hop(Duration remaining) {
    Duration chosen = null;
    for (Duration tier : tiers) {
      if (tier.compareTo(remaining) <= 0) {
        chosen = tier;
      }
    }
    return Optional.ofNullable(chosen);
  }

  /** The tiers a wait of {@code delay} passes through, in order (what remains is waited in memory). */
  public List<Duration> hops(Duration delay) {
    List<Duration> out = new java.util.ArrayList<>();
    Duration remaining = delay;
    for (Optional<Duration> h = hop(remaining); h.isPresent(); h = hop(remaining)) {
      out.add(h.get());
      remaining = remaining.minus(h.get());
    }
    return out;
  }
}
