package org.bulletin.schema;

/**
 * A record that is not a valid report event. {@link #code()} is a stable, machine-readable reason
 * (used as the dead-letter header and in metrics); the message says what exactly is wrong.
 */
public final class EventRejectedException extends Exception {
  private final String code;

  public EventRejectedException(String code, String message) {
    super(message);
    this.code = code;
  }

  public EventRejectedException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
