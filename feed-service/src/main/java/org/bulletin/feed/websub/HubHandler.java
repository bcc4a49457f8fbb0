package org.bulletin.feed.websub;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import org.bulletin.platform.http.Problem;

/**
 * {@code POST /websub} (subscribers; WebSub 5.1: 202 or a 4xx/5xx with a plain-text reason) and
 * {@code GET /v1/websub/subscriptions} (admins). Runs on the request's event-loop thread.
 */
public final class HubHandler {
  private final HubService hub;
  private final HubSubscriptions store;
  private final TopicCatalog catalog;
  private final Clock clock;
  private final HubAttempts attempts;

  public HubHandler(HubService hub, HubSubscriptions store, HubAttempts attempts, TopicCatalog catalog, Clock clock) {
    this.attempts = attempts;
    this.hub = hub;
    this.store = store;
    this.catalog = catalog;
    this.clock = clock;
  }

  public void subscribe(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      text(ctx, 415, "the request must be a form: Content-Type application/x-www-form-urlencoded");
      return;
    }
    HubRequest request;
    try {
      request = HubRequest.parse(ctx.request().formAttributes());
    } catch (HubRequestException e) {
      text(ctx, e.status(), e.getMessage());
      return;
    }
    hub.accept(ctx.vertx().getOrCreateContext(), request).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().setStatusCode(202).putHeader("Cache-Control", "no-store").end();
      } else if (ar.cause() instanceof HubRequestException e) {
        if (e.status() == 503 || e.status() == 429) {
          ctx.response().putHeader("Retry-After", "10");
        }
        text(ctx, e.status(), e.getMessage());
      } else {
        ctx.fail(ar.cause());
      }
    });
  }

  /** A plain-text answer for subscribers (the WebSub spec's form), never internals. */
  static void text(RoutingContext ctx, int status, String reason) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("Cache-Control", "no-store").end(reason + "\n");
  }

  /** Most subscriptions on one page of the admins' listing, and the default. */
  static final int MAX_LIMIT = 500;
  static final int DEFAULT_LIMIT = 100;

  /**
   * {@code GET /v1/websub/subscriptions?topic=…&limit=…&cursor=…}: one page of a topic's
   * subscriptions and their state, oldest first; {@code nextCursor} asks for the next page.
   */
  public void list(RoutingContext ctx) {
    String topic;
    String rawLimit;
    String rawCursor;
    try {
      topic = ctx.request().getParam("topic");
      rawLimit = ctx.request().getParam("limit");
      rawCursor = ctx.request().getParam("cursor");
    } catch (IllegalArgumentException e) {
      Problem.of(400, "invalid-request", "Invalid request", "The query string is not well-formed.").send(ctx);
      return;
    }
    if (topic == null || topic.isBlank()) {
      Problem.of(400, "topic-required", "Topic required",
          "Name the topic whose subscriptions to list: ?topic=" + catalog.topic("/feeds/reports.atom")).send(ctx);
      return;
    }
    int limit = DEFAULT_LIMIT;
    if (rawLimit != null) {
      try {
        limit = Integer.parseInt(rawLimit);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        Problem.of(400, "invalid-request", "Invalid request", "limit must be a number from 1 to " + MAX_LIMIT + ".")
            .send(ctx);
        return;
      }
    }
    ListingCursor after;
    try {
      after = ListingCursor.parse(rawCursor);
    } catch (IllegalArgumentException e) {
      Problem.of(400, "invalid-request", "Invalid request", "cursor is not one this listing gave.").send(ctx);
      return;
    }
    Instant now = clock.instant();
    JsonArray out = new JsonArray();
    HubSubscription last = null;
    boolean more = false;
    for (HubSubscription s : store.ofTopic(topic)) {
      if (after != null && !after.before(s)) {
        continue;
      }
      if (out.size() == limit) {
        more = true;
        break;
      }
      last = s;
      out.add(new JsonObject()
          .put("id", s.key())
          .put("callback", s.callback())
          .put("state", s.activeAt(now) ? "active" : "expired")
          .put("leaseSeconds", s.leaseSeconds())
          .put("expiresAt", s.expiresAt().toString())
          .put("lastVerifiedAt", s.verifiedAt().toString())
          .put("createdAt", s.createdAt().toString())
          .put("signed", s.sealedSecret() != null)
          .put("attempts", attempts.json(s.key())));
    }
    ctx.response().putHeader("Cache-Control", "no-store");
    ctx.json(new JsonObject().put("topic", topic).put("subscriptions", out)
        .put("nextCursor", more ? ListingCursor.of(last).encode() : null));
  }
}
