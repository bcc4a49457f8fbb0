package org.bulletin.feed.webhook;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.bulletin.feed.delivery.DeliveryJson;
import org.bulletin.platform.auth.Actor;
import org.bulletin.platform.auth.Principal;
import org.bulletin.platform.http.Problem;
import org.bulletin.platform.http.ProblemException;

/**
 * The attempt log per endpoint and per event, resend of one event, replay of a time range, each as
 * the request's principal may ({@link SubscriptionAccess}). Callbacks run on the request's
 * event-loop thread.
 */
public final class DeliveriesHandler {
  private final SubscriptionAccess access;

  public DeliveriesHandler(SubscriptionAccess access) {
    this.access = access;
  }

  /** GET /v1/subscriptions/{id}/attempts?eventId=&limit= */
  public void endpointAttempts(RoutingContext ctx) {
    int limit = intParam(ctx, "limit", 100, 1, 1000);
    ctx.json(new JsonObject().put("items", json(access.attempts(Principal.of(ctx), ctx.pathParam("id"),
        ctx.queryParams().get("eventId"), limit))));
  }

  /** GET /v1/events/{eventId}/attempts */
  public void eventAttempts(RoutingContext ctx) {
    ctx.json(new JsonObject().put("items", json(access.eventAttempts(Principal.of(ctx), ctx.pathParam("eventId")))));
  }

  /** POST /v1/subscriptions/{id}/resend {"eventId": "…"} */
  public void resend(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    access.require(Principal.of(ctx), id);
    JsonObject body = body(ctx);
    String eventId = body.getValue("eventId") instanceof String e ? e : null;
    if (eventId == null) {
      throw new ProblemException(Problem.of(400, "invalid-request", "Invalid request", "Send {\"eventId\": \"…\"}."));
    }
    access.resend(Actor.of(ctx), id, eventId)
        .onSuccess(v -> {
          ctx.response().setStatusCode(202);
          ctx.json(new JsonObject().put("eventId", eventId).put("subscriptionId", id).put("status", "queued"));
        })
        .onFailure(e -> fail(ctx, e));
  }

  /** POST /v1/subscriptions/{id}/replay {"since": "…", "until": "…"} */
  public void replay(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    access.require(Principal.of(ctx), id);
    JsonObject body = body(ctx);
    Instant since;
    Instant until;
    try {
      since = Instant.parse(body.getValue("since") instanceof String v ? v : "");
      until = body.getValue("until") == null ? Instant.now()
          : Instant.parse(body.getValue("until") instanceof String v ? v : "");
    } catch (DateTimeParseException e) {
      throw new ProblemException(Problem.of(400, "invalid-request", "Invalid request",
          "since (and optionally until) must be RFC 3339 timestamps, e.g. 2024-05-01T00:00:00Z."));
    }
    access.replay(Actor.of(ctx), id, since, until)
        .onSuccess(n -> {
          ctx.response().setStatusCode(202);
          ctx.json(new JsonObject().put("subscriptionId", id).put("events", n));
        })
        .onFailure(e -> fail(ctx, e));
  }

  private static void fail(RoutingContext ctx, Throwable e) {
    if (e instanceof ProblemException pe && pe.problem().status() == 503) {
      ctx.response().putHeader("Retry-After", "5");
    }
    ctx.fail(e);
  }

  private static JsonArray json(List<Attempt> list) {
    JsonArray out = new JsonArray();
    list.forEach(a -> out.add(new JsonObject(new String(DeliveryJson.write(a), StandardCharsets.UTF_8))));
    return out;
  }

  private static JsonObject body(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().length() == 0 ? null : ctx.body().asJsonObject();
      if (body == null) {
        throw new ProblemException(Problem.of(400, "malformed-json", "Malformed JSON", "The body must be a JSON object."));
      }
      return body;
    } catch (io.vertx.core.json.DecodeException | ClassCastException e) {
      throw new ProblemException(Problem.of(400, "malformed-json", "Malformed JSON", "The body is not valid JSON."));
    }
  }

  private static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
    String raw = ctx.queryParams().get(name);
    if (raw == null) {
      return fallback;
    }
    try {
      return Math.max(min, Math.min(max, Integer.parseInt(raw)));
    } catch (NumberFormatException e) {
      throw new ProblemException(Problem.of(400, "invalid-request", "Invalid request", name + " must be a number."));
    }
  }
}
