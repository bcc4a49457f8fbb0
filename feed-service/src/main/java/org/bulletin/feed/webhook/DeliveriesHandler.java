package org.bulletin.feed.webhook;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.bulletin.feed.delivery.Attempt;
import org.bulletin.feed.delivery.AttemptLog;
import org.bulletin.feed.delivery.DeliveryJson;
import org.bulletin.platform.exec.BoundedExecutor;
import org.bulletin.platform.exec.OverloadedException;
import org.bulletin.platform.http.Problem;
import org.bulletin.platform.http.ProblemException;

/**
 * The attempt log per endpoint and per event, resend of one event, replay of a time range.
 * Callbacks run on the request's event-loop thread; reading Kafka back runs on the replay executor.
 */
public final class DeliveriesHandler {
  private final SubscriptionStore store;
  private final AttemptLog attempts;
  private final EventReplayer replayer;
  private final BoundedExecutor replayExecutor;

  public DeliveriesHandler(SubscriptionStore store, AttemptLog attempts, EventReplayer replayer,
      BoundedExecutor replayExecutor) {
    this.store = store;
    this.attempts = attempts;
    this.replayer = replayer;
    this.replayExecutor = replayExecutor;
  }

  /** GET /v1/subscriptions/{id}/attempts?eventId=&limit= */
  public void endpointAttempts(RoutingContext ctx) {
    Subscription s = find(ctx);
    int limit = intParam(ctx, "limit", 100, 1, 1000);
    ctx.json(new JsonObject().put("items", json(attempts.forEndpoint(s.id(), ctx.queryParams().get("eventId"), limit))));
  }

  /** GET /v1/events/{eventId}/attempts */
  public void eventAttempts(RoutingContext ctx) {
    ctx.json(new JsonObject().put("items", json(attempts.forEvent(ctx.pathParam("eventId")))));
  }

  /** POST /v1/subscriptions/{id}/resend {"eventId": "…"} */
  public void resend(RoutingContext ctx) {
    Subscription s = find(ctx);
    JsonObject body = body(ctx);
    String eventId = body.getString("eventId");
    if (eventId == null) {
      throw new ProblemException(Problem.of(400, "invalid-request", "Invalid request", "Send {\"eventId\": \"…\"}."));
    }
    Attempt known = attempts.forEvent(eventId).stream().findFirst().orElseThrow(() -> new ProblemException(Problem.of(
        404, "unknown-event", "Unknown event", "No delivery of event " + eventId + " is in the attempt log.")));
    replayExecutor.submit(ctx.vertx().getOrCreateContext(),
            () -> replayer.resend(s, known.sourcePartition(), known.sourceOffset()))
        .onSuccess(found -> {
          if (found) {
            ctx.response().setStatusCode(202);
            ctx.json(new JsonObject().put("eventId", eventId).put("subscriptionId", s.id()).put("status", "queued"));
          } else {
            Problem.of(410, "event-gone", "Event gone",
                "The event is no longer in the reports topic (compacted or expired).").send(ctx);
          }
        })
        .onFailure(e -> fail(ctx, e));
  }

  /** POST /v1/subscriptions/{id}/replay {"since": "…", "until": "…"} */
  public void replay(RoutingContext ctx) {
    Subscription s = find(ctx);
    JsonObject body = body(ctx);
    Instant since;
    Instant until;
    try {
      since = Instant.parse(body.getString("since", ""));
      until = body.getString("until") == null ? Instant.now() : Instant.parse(body.getString("until"));
    } catch (DateTimeParseException e) {
      throw new ProblemException(Problem.of(400, "invalid-request", "Invalid request",
          "since (and optionally until) must be RFC 3339 timestamps, e.g. 2024-05-01T00:00:00Z."));
    }
    if (until.isBefore(since)) {
      throw new ProblemException(Problem.of(400, "invalid-request", "Invalid request", "until is before since."));
    }
    replayExecutor.submit(ctx.vertx().getOrCreateContext(), () -> replayer.replay(s, since, until))
        .onSuccess(n -> {
          ctx.response().setStatusCode(202);
          ctx.json(new JsonObject().put("subscriptionId", s.id()).put("events", n));
        })
        .onFailure(e -> fail(ctx, e));
  }

  private static void fail(RoutingContext ctx, Throwable e) {
    if (e instanceof OverloadedException) {
      ctx.response().putHeader("Retry-After", "5");
      Problem.of(503, "overloaded", "Overloaded", "Too many replays are running; retry shortly.").send(ctx);
    } else {
      ctx.fail(e);
    }
  }

  private static JsonArray json(List<Attempt> list) {
    JsonArray out = new JsonArray();
    list.forEach(a -> out.add(new JsonObject(new String(DeliveryJson.write(a), StandardCharsets.UTF_8))));
    return out;
  }

  private Subscription find(RoutingContext ctx) {
    return SubscriptionsHandler.find(store, ctx);
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
