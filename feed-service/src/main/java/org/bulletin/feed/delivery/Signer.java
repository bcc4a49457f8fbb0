package org.bulletin.feed.delivery;

import java.time.Instant;
import java.util.Map;

/** The headers that authenticate one attempt. Implementations are immutable and thread-safe. */
@FunctionalInterface
public interface Signer {
  /** Signs nothing: no header is added. */
  Signer NONE = (messageId, at, body) -> Map.of();

  /**
   * @param messageId the task's message id (the same on every attempt)
   * @param at when this attempt starts
   * @param body the exact bytes sent
   */
  Map<String, String> headers(String messageId, Instant at, byte[] body);
}
