package org.bulletin.producer.index;

/** The report index did not catch up with the reports topic in time; the caller answers 503, never 404. */
public final class IndexBehindException extends RuntimeException {
  public IndexBehindException(String message) {
    super(message, null, false, false);
  }
}
