package org.bulletin.feed.portal;

/** The partner a portal session belongs to, as the pages show it. */
public record PortalPartner(String id, String name) {}
