package org.bulletin.feed.websub;

/**
 * Lease bounds (WebSub 5.1: the hub decides the lease; no perpetual leases): a requested lease is
 * raised to the minimum or cut to the maximum; a request that asks none gets the default.
 */
public record Leases(long defaultSeconds, long minSeconds, long maxSeconds) {
  public Leases {
    if (minSeconds > maxSeconds) {
      throw new IllegalArgumentException("websub.lease.min.seconds (" + minSeconds
          + ") is more than websub.lease.max.seconds (" + maxSeconds + ")");
    }
    if (defaultSeconds < minSeconds || defaultSeconds > maxSeconds) {
      throw new IllegalArgumentException("websub.lease.default.seconds (" + defaultSeconds
          + ") must lie between websub.lease.min.seconds and websub.lease.max.seconds");
    }
  }

  /** The lease granted for a request asking for {@code requested} seconds ({@code null}: none asked). */
  public long grant(Long requested) {
    if (requested == null) {
      return defaultSeconds;
    }
    return Math.max(minSeconds, Math.min(maxSeconds, requested));
  }
}
