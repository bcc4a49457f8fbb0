package org.bulletin.feed.portal;

import java.util.List;
import org.bulletin.feed.webhook.Attempt;

/**
 * One endpoint's page: its state, the actions, its recent attempts (filtered by outcome).
 *
 * @param outcomeFilter all, or one outcome: delivered, retrying, failed, disabled, skipped
 * @param since the replay form's start, as typed
 * @param until the replay form's end, as typed
 */
public record EndpointView(PortalPartner partner, String csrf, String notice, String error, EndpointRow row,
    List<Attempt> attempts, String outcomeFilter, String since, String until) {
  public static final List<String> OUTCOMES = List.of("delivered", "retrying", "failed", "disabled", "skipped");

  /** An attempt's status in words: the HTTP status, or why there was none. */
  public static String status(Attempt a) {
    return a.status() != null ? "HTTP " + a.status() : a.error() == null ? "no response" : a.error();
  }

  /** Test events were never in the reports topic, so they cannot be resent. */
  public static boolean resendable(Attempt a) {
    return a.sourcePartition() >= 0;
  }
}
