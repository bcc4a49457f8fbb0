package org.bulletin.feed.portal;

/** The page that shows a new signing secret, once: after adding an endpoint or rotating its secret. */
public record SecretView(PortalPartner partner, String csrf, String heading, String subscriptionId, String url,
    String secret, String explanation) {}
