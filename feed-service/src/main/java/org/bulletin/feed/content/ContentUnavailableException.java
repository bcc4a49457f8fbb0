package org.bulletin.feed.content;

/** Report content could not be read back from the topic in time (broker away, partition gone). */
public final class ContentUnavailableException extends RuntimeException {
  public ContentUnavailableException(String message) {
    super(message);
  }
}
