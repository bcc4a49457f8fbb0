package org.bulletin.feed.delivery;

/**
 * What a task referenced no longer exists (a feed that is gone): the task is skipped with this
 * reason instead of being attempted. See {@link EndpointDirectory#resolve}.
 */
public final class PayloadGoneException extends RuntimeException {
  public PayloadGoneException(String reason) {
    super(reason, null, false, false);
  }
}
