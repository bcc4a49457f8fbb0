package org.bulletin.feed.portal;

import java.time.Instant;

/**
 * The partner a portal session belongs to, as the pages show it.
 *
 * @param sessionsNotBefore links and sessions issued before this are refused (null: none)
 */
public record PortalPartner(String id, String name, Instant sessionsNotBefore) {
  public PortalPartner(String id, String name) {
    this(id, name, null);
  }

  /** Whether a link or session issued at {@code issuedAt} still opens this partner's portal. */
  public boolean admits(Instant issuedAt) {
    return sessionsNotBefore == null || !issuedAt.isBefore(sessionsNotBefore);
  }
}
