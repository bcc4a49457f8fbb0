package org.bulletin.feed.delivery;

import java.time.Duration;
import java.time.Instant;

/**
 * What one HTTP attempt got.
 *
 * @param status the response status, or {@code null} when none came
 * @param retryAfter the Retry-After the endpoint asked for, or {@code null}
 * @param refused the URL was refused by the guard (no request was made)
 */
public record AttemptResult(Instant at, Integer status, long latencyMs, String snippet, String error,
    Duration retryAfter, boolean refused) {

  public boolean succeeded() {
    return status != null && status >= 200 && status < 300;
  }

  public boolean gone() {
    return status != null && status == 410;
  }
}
