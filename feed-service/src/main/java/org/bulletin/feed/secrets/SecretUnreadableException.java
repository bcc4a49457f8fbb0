package org.bulletin.feed.secrets;

/** A sealed secret that cannot be opened: its key is not configured, or it was altered. */
public final class SecretUnreadableException extends RuntimeException {
  public SecretUnreadableException(String message) {
    super(message, null, false, false);
  }
}
