package org.bulletin.platform.exec;

/** A bounded executor was full; the work was not started. */
public final class OverloadedException extends RuntimeException {
  public OverloadedException(String executor) {
    super("executor " + executor + " is full", null, false, false);
  }
}
