package org.bulletin.feed.partners;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import org.bulletin.feed.webhook.Subscription;
import org.bulletin.feed.webhook.SubscriptionAccess;
import org.bulletin.platform.audit.AuditEntry;
import org.bulletin.platform.audit.AuditTrail;
import org.bulletin.platform.auth.Actor;
import org.bulletin.platform.auth.ApiKey;
import org.bulletin.platform.auth.CredentialService;
import org.bulletin.platform.auth.KeyKind;
import org.bulletin.platform.auth.Partner;
import org.bulletin.platform.http.Problem;
import org.bulletin.platform.http.ProblemException;

/**
 * Partner administration (admins only; the route's auth handler refuses other kinds with 403):
 * {@code /v1/partners} and their keys, and {@code /v1/publisher-keys}. Every action is audited.
 * Callbacks run on the request's event-loop thread.
 */
public final class PartnersHandler {
  private final CredentialService credentials;
  private final SubscriptionAccess subscriptions;
  private final AuditTrail audit;
  private final Clock clock;

  public PartnersHandler(CredentialService credentials, SubscriptionAccess subscriptions, AuditTrail audit,
      Clock clock) {
    this.credentials = credentials;
    this.subscriptions = subscriptions;
    this.audit = audit;
    this.clock = clock;
  }

  /** POST /v1/partners {"name"} -> 201 {"id","name",…,"apiKey","keyId"}: the key is shown once. */
  public void create(RoutingContext ctx) {
    String name = PartnerJson.name(PartnerJson.body(ctx, List.of("name")), true);
    audited(ctx, "partner.create", null, null, credentials.createPartner(name)).onSuccess(created -> {
      JsonObject json = PartnerJson.partner(created.partner()).put("apiKey", created.key().secret())
          .put("keyId", created.key().key().id());
      ctx.response().setStatusCode(201).putHeader("Cache-Control", "no-store").putHeader("Location", "/v1/partners/" + created.partner().id())
          .putHeader("Cache-Control", "no-store").putHeader("Content-Type", "application/json").end(json.encode());
    }).onFailure(ctx::fail);
  }

  public void list(RoutingContext ctx) {
    JsonArray items = new JsonArray();
    credentials.store().partners().forEach(p -> items.add(PartnerJson.partner(p)));
    ctx.json(new JsonObject().put("items", items));
  }

  public void get(RoutingContext ctx) {
    ctx.json(PartnerJson.partner(partner(ctx)));
  }

  /** PATCH /v1/partners/{id} {"name"?, "enabled"?}: rename, disable (its keys stop at once), enable. */
  public void update(RoutingContext ctx) {
    Partner p = partner(ctx);
    JsonObject body = PartnerJson.body(ctx, List.of("name", "enabled"));
    String name = PartnerJson.name(body, false);
    Object enabled = body.getValue("enabled");
    if (enabled != null && !(enabled instanceof Boolean)) {
      throw PartnerJson.invalid("/enabled", "true or false");
    }
    Future<Partner> done = Future.succeededFuture(p);
    if (name != null && !name.equals(p.name())) {
      done = done.compose(cur -> credentials.rename(cur, name));
    }
    if (enabled != null && (Boolean) enabled != p.enabled()) {
      done = done.compose(cur -> credentials.setEnabled(cur, (Boolean) enabled));
    }
    String action = enabled == null ? "partner.update" : (Boolean) enabled ? "partner.enable" : "partner.disable";
    audited(ctx, action, p.id(), p.id(), done).onSuccess(updated -> ctx.json(PartnerJson.partner(updated)))
        .onFailure(ctx::fail);
  }

  /** DELETE /v1/partners/{id}: revokes its keys, deletes its subscriptions, then the partner. */
  public void delete(RoutingContext ctx) {
    Partner p = partner(ctx);
    Actor actor = Actor.of(ctx);
    Future<Void> chain = Future.succeededFuture();
    for (Subscription s : subscriptions.listOf(actor.principal(), p.id())) {
      chain = chain.compose(v -> subscriptions.delete(actor, s.id()));
    }
    audited(ctx, "partner.delete", p.id(), p.id(), chain.compose(v -> credentials.deletePartner(p)))
        .onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  /** POST /v1/partners/{id}/keys -> 201 with the new key, shown once. */
  public void issuePartnerKey(RoutingContext ctx) {
    Partner p = partner(ctx);
    issue(ctx, KeyKind.PARTNER, p.id(), "/v1/partners/" + p.id() + "/keys/");
  }

  public void listPartnerKeys(RoutingContext ctx) {
    keys(ctx, partner(ctx).id());
  }

  /** DELETE /v1/partners/{id}/keys/{keyId}: the key is refused by every instance within seconds. */
  public void revokePartnerKey(RoutingContext ctx) {
    Partner p = partner(ctx);
    revoke(ctx, p.id());
  }

  /** POST /v1/publisher-keys -> 201 with the new key, shown once. */
  public void issuePublisherKey(RoutingContext ctx) {
    issue(ctx, KeyKind.PUBLISHER, null, "/v1/publisher-keys/");
  }

  public void listPublisherKeys(RoutingContext ctx) {
    keys(ctx, null);
  }

  public void revokePublisherKey(RoutingContext ctx) {
    revoke(ctx, null);
  }

  private void issue(RoutingContext ctx, KeyKind kind, String partnerId, String location) {
    audited(ctx, "key.issue", null, partnerId, credentials.issueKey(kind, partnerId)).onSuccess(issued ->
        ctx.response().setStatusCode(201).putHeader("Cache-Control", "no-store").putHeader("Location", location + issued.key().id())
            .putHeader("Cache-Control", "no-store").putHeader("Content-Type", "application/json")
            .end(PartnerJson.issued(issued).encode())).onFailure(ctx::fail);
  }

  private void keys(RoutingContext ctx, String partnerId) {
    JsonArray items = new JsonArray();
    credentials.store().keys(partnerId).forEach(k -> items.add(PartnerJson.key(k)));
    ctx.json(new JsonObject().put("items", items));
  }

  private void revoke(RoutingContext ctx, String partnerId) {
    String keyId = ctx.pathParam("keyId");
    ApiKey key = credentials.store().key(keyId)
        .filter(k -> partnerId == null ? k.kind() == KeyKind.PUBLISHER : partnerId.equals(k.partnerId()))
        .orElseThrow(() -> new ProblemException(Problem.of(404, "unknown-key", "Unknown key",
            "There is no key " + keyId + " here.")));
    audited(ctx, "key.revoke", keyId, partnerId, credentials.revoke(key))
        .onSuccess(k -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  private Partner partner(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return credentials.store().partner(id).orElseThrow(() -> new ProblemException(Problem.of(404,
        "unknown-partner", "Unknown partner", "There is no partner " + id + ".")));
  }

  private <T> Future<T> audited(RoutingContext ctx, String action, String target, String partnerId, Future<T> work) {
    Actor actor = Actor.of(ctx);
    return work.andThen(r -> {
      String t = target;
      String partner = partnerId;
      if (r.succeeded() && r.result() instanceof CredentialService.CreatedPartner c) {
        t = c.partner().id();
        partner = c.partner().id();
      } else if (r.succeeded() && r.result() instanceof ApiKey.Issued i) {
        t = i.key().id();
      }
      String outcome = r.succeeded() ? "ok" : r.cause() instanceof ProblemException pe ? pe.problem().code() : "error";
      audit.record(AuditEntry.of(actor, clock.instant(), action, t, partner, outcome));
    });
  }
}
