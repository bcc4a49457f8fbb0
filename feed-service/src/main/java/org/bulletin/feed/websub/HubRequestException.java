package org.bulletin.feed.websub;

/** A subscription request the hub refuses at once: the status and a plain-text reason for the subscriber. */
public final class HubRequestException extends Exception {
  private final int status;

  public HubRequestException(int status, String reason) {
    super(reason, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
