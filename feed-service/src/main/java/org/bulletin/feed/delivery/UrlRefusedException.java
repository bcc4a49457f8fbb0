package org.bulletin.feed.delivery;

/** A webhook URL that may not be called; {@link #code()} is stable. */
public class UrlRefusedException extends Exception {
  private final String code;

  public UrlRefusedException(String code, String message) {
    super(message);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
