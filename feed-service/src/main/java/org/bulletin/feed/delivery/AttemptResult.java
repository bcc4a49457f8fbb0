package org.bulletin.feed.delivery;

import java.time.Duration;
import java.time.Instant;

/**
 * What one HTTP attempt got.
 *
 * @param status the response status, or {@code null} when none came
 * @param snippet the start of the response body, at most {@code webhook.response.max.bytes}
 * @param error why the attempt failed although a status may have come (a redirect, a body over
 *     the limit) or why no response came; {@code null} when the status alone decides
 * @param retryAfter the Retry-After the endpoint asked for, or {@code null}
 * @param refused the URL was refused by the guard (no request was made)
 */
public record AttemptResult(Instant at, Integer status, long latencyMs, String snippet, String error,
    Duration retryAfter, boolean refused) {

  public boolean succeeded() {
    return status != null && status >= 200 && status < 300 && error == null;
  }

  public boolean gone() {
    return status != null && status == 410;
  }
}
