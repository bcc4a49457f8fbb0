package org.bulletin.feed.delivery;

/**
 * The host did not resolve (no such name, or the resolver failed or timed out). When a
 * subscription is saved this refuses the URL; during delivery it may be transient, so the attempt
 * fails and is retried.
 */
public final class HostUnresolvedException extends UrlRefusedException {
  public HostUnresolvedException(String host, Throwable cause) {
    super("unresolvable-host", "the host " + host + " does not resolve"
        + (cause.getMessage() == null || cause.getMessage().equals(host) ? "" : " (" + cause.getMessage() + ")"));
    initCause(cause);
  }
}
