package org.bulletin.feed.portal;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import java.util.Optional;
import java.time.Clock;
import org.bulletin.platform.audit.AuditEntry;
import org.bulletin.platform.audit.AuditTrail;
import org.bulletin.platform.auth.Actor;
import org.bulletin.platform.http.Problem;

/**
 * {@code POST /v1/partners/{id}/portal-link} (admins): a short-lived link that opens the portal
 * for that partner, {@code {"url": "…", "expiresAt": "…"}}. Runs on the request's event-loop thread.
 */
public final class PortalLinkHandler {
  private final PortalSessions sessions;
  private final Function<String, Optional<PortalPartner>> partners;
  private final AuditTrail audit;
  private final Clock clock;

  /** @param partners the enabled partner of an id, if any */
  public PortalLinkHandler(PortalSessions sessions, Function<String, Optional<PortalPartner>> partners,
      AuditTrail audit, Clock clock) {
    this.sessions = sessions;
    this.partners = partners;
    this.audit = audit;
    this.clock = clock;
  }

  public void handle(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (partners.apply(id).isEmpty()) {
      Problem.of(404, "unknown-partner", "Unknown partner", "There is no enabled partner " + id + ".").send(ctx);
      return;
    }
    PortalSessions.Link link = sessions.link(id);
    audit.record(AuditEntry.of(Actor.of(ctx), clock.instant(), "partner.portal-link", id, id, "ok"));
    ctx.response().putHeader("Cache-Control", "no-store");
    ctx.json(new JsonObject().put("url", link.url()).put("expiresAt", link.expiresAt().toString()));
  }

  /** The answer when {@code portal.secrets} is empty: the portal is off. */
  public static void disabled(RoutingContext ctx) {
    Problem.of(503, "portal-disabled", "Portal disabled", "The partner portal is off: set portal.secrets"
        + " (BULLETIN_PORTAL_SECRETS) to one or more base64 keys of 32 bytes or more on every feed-service instance.")
        .send(ctx);
  }
}
