package org.bulletin.feed.portal;

/**
 * Who acts through the portal: a partner's session, and where the request came from (for audit).
 *
 * @param sessionId names the session without being a credential (its CSRF token and cookie are)
 */
public record PortalCaller(String partnerId, String sessionId, String remoteAddress) {}
