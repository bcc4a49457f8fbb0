package org.bulletin.platform.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per credential, in this instance's memory: {@code perSecond} requests a second
 * with bursts of {@code burst}. Buckets of at most {@code maxKeys} credentials are kept (least
 * recently used go first, so a forgotten key starts again with a full bucket). Thread-safe.
 */
public final class RateLimiter {
  private final double perSecond;
  private final double burst;
  private final Map<String, double[]> buckets;

  /** @param perSecond 0 disables the limit */
  public RateLimiter(int perSecond, int burst, int maxKeys) {
    this.perSecond = perSecond;
    this.burst = Math.max(1, burst);
    this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, double[]> eldest) {
        return size() > maxKeys;
      }
    };
  }

  /**
   * Takes one request of {@code keyId} at {@code nanos} (System.nanoTime()).
   *
   * @return 0 when allowed, else the whole seconds to wait before the next request is allowed
   */
  public synchronized long acquire(String keyId, long nanos) {
    if (perSecond <= 0) {
      return 0;
    }
    double[] b = buckets.computeIfAbsent(keyId, k -> new double[] {burst, nanos});
    b[0] = Math.min(burst, b[0] + (nanos - (long) b[1]) / 1e9 * perSecond);
    b[1] = nanos;
    if (b[0] >= 1) {
      b[0] -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - b[0]) / perSecond));
  }
}
