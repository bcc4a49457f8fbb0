package org.bulletin.feed.webhook;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import org.bulletin.feed.delivery.DeliveryJson;
import org.bulletin.platform.auth.Actor;
import org.bulletin.platform.auth.Principal;
import org.bulletin.platform.http.Problem;
import org.bulletin.platform.http.ProblemException;

/**
 * {@code /v1/subscriptions}: create, list, get, update, delete, rotate the secret, re-enable, each
 * as the request's principal may ({@link SubscriptionAccess}). Callbacks run on the request's
 * event-loop thread.
 */
public final class SubscriptionsHandler {
  private final SubscriptionAccess access;

  public SubscriptionsHandler(SubscriptionAccess access) {
    this.access = access;
  }

  public void create(RoutingContext ctx) {
    access.create(Actor.of(ctx), body(ctx))
        .onSuccess(s -> noStore(ctx).setStatusCode(201).putHeader("Location", "/v1/subscriptions/" + s.id())
            .putHeader("Content-Type", "application/json").end(view(s, true).encode()))
        .onFailure(ctx::fail);
  }

  /** GET /v1/subscriptions[?partnerId=] (the filter is for admins; a partner sees its own anyway). */
  public void list(RoutingContext ctx) {
    Principal who = Principal.of(ctx);
    String partnerId = ctx.queryParams().get("partnerId");
    JsonArray items = new JsonArray();
    (partnerId == null ? access.list(who) : access.listOf(who, partnerId)).forEach(s -> items.add(view(s, false)));
    ctx.json(new JsonObject().put("items", items));
  }

  public void get(RoutingContext ctx) {
    ctx.json(view(access.require(Principal.of(ctx), ctx.pathParam("id")), false));
  }

  public void secret(RoutingContext ctx) {
    String secret = access.secret(Actor.of(ctx), ctx.pathParam("id"));
    noStoreJson(ctx, new JsonObject().put("secret", secret));
  }

  public void update(RoutingContext ctx) {
    access.update(Actor.of(ctx), ctx.pathParam("id"), body(ctx))
        .onSuccess(s -> ctx.json(view(s, false)))
        .onFailure(ctx::fail);
  }

  public void delete(RoutingContext ctx) {
    access.delete(Actor.of(ctx), ctx.pathParam("id"))
        .onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  public void rotateSecret(RoutingContext ctx) {
    access.rotateSecret(Actor.of(ctx), ctx.pathParam("id")).onSuccess(s -> noStoreJson(ctx, view(s, true)))
        .onFailure(ctx::fail);
  }

  public void enable(RoutingContext ctx) {
    access.setEnabled(Actor.of(ctx), ctx.pathParam("id"), true).onSuccess(s -> ctx.json(view(s, false)))
        .onFailure(ctx::fail);
  }

  private static JsonObject body(RoutingContext ctx) {
    try {
      return ctx.body().length() == 0 ? null : ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      throw new ProblemException(Problem.of(400, "malformed-json", "Malformed JSON", "The body is not valid JSON."));
    }
  }

  /** The API's view: no secrets, except the current one right after creation or rotation. */
  public static JsonObject view(Subscription s, boolean withSecret) {
    JsonObject json = new JsonObject(new String(DeliveryJson.write(s), java.nio.charset.StandardCharsets.UTF_8));
    json.remove("secrets");
    if (withSecret) {
      json.put("secret", s.activeSecrets(Instant.now()).get(0));
    }
    return json;
  }

  private static void noStoreJson(RoutingContext ctx, Object json) {
    noStore(ctx);
    ctx.json(json);
  }

  /** Answers carrying a secret must not be kept by any cache. */
  static io.vertx.core.http.HttpServerResponse noStore(RoutingContext ctx) {
    return ctx.response().putHeader("Cache-Control", "no-store");
  }
}
