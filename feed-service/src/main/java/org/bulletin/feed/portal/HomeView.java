package org.bulletin.feed.portal;

import java.util.List;

/**
 * The portal's first page: the partner's endpoints (filtered by state) and the form to add one.
 *
 * @param notice what the last action did, or null
 * @param error why the form was refused, or null
 * @param stateFilter all, enabled, failing or disabled
 */
public record HomeView(PortalPartner partner, String csrf, String notice, String error, List<EndpointRow> endpoints,
    int total, String stateFilter, EndpointForm form) {}
