package org.bulletin.feed.websub;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Verification GETs per callback host and minute, so the hub cannot be used to send a stream of
 * GETs to a third party (any public callback will do for a request). A fixed one-minute window;
 * at most {@code maxHosts} hosts are counted per window, and a request for a further host is
 * refused until the window ends (the map stays bounded). Thread-safe.
 */
public final class VerificationRateLimit {
  private static final long WINDOW_MILLIS = 60_000;
  private final int perHostPerMinute;
  private final int maxHosts;
  private final Clock clock;
  private final Map<String, Integer> counts = new HashMap<>();
  private long window = -1;

  /** @param perHostPerMinute verifications per host and minute; 0 for no limit */
  public VerificationRateLimit(int perHostPerMinute, int maxHosts, Clock clock) {
    this.perHostPerMinute = perHostPerMinute;
    this.maxHosts = maxHosts;
    this.clock = clock;
  }

  /** Counts one verification for {@code host} and says whether it may go. */
  public synchronized boolean tryAcquire(String host) {
    if (perHostPerMinute == 0) {
      return true;
    }
    long now = clock.millis() / WINDOW_MILLIS;
    if (now != window) {
      window = now;
      counts.clear();
    }
    Integer n = counts.get(host);
    if (n == null) {
      if (counts.size() >= maxHosts) {
        return false;
      }
      n = 0;
    }
    if (n >= perHostPerMinute) {
      return false;
    }
    counts.put(host, n + 1);
    return true;
  }
}
