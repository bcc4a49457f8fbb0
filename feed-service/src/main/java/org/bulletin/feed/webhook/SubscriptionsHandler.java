package org.bulletin.feed.webhook;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import org.bulletin.feed.delivery.DeliveryOutcomes;
import org.bulletin.feed.delivery.DeliveryJson;
import org.bulletin.feed.delivery.UrlGuard;
import org.bulletin.feed.delivery.UrlRefusedException;
import org.bulletin.platform.exec.BoundedExecutor;
import org.bulletin.platform.exec.OverloadedException;
import org.bulletin.platform.http.Problem;
import org.bulletin.platform.http.ProblemException;

/**
 * {@code /v1/subscriptions}: create, list, get, update, delete, rotate the secret, re-enable.
 * The URL is checked (after DNS resolution, on the DNS executor) before anything is saved.
 * Callbacks run on the request's event-loop thread.
 */
public final class SubscriptionsHandler {
  private final SubscriptionStore store;
  private final SubscriptionService service;
  private final UrlGuard guard;
  private final BoundedExecutor dns;
  private final DeliveryOutcomes outcomes;
  private final FilterValues filterValues;

  SubscriptionsHandler(SubscriptionStore store, SubscriptionService service, UrlGuard guard, BoundedExecutor dns,
      DeliveryOutcomes outcomes, FilterValues filterValues) {
    this.filterValues = filterValues;
    this.store = store;
    this.service = service;
    this.guard = guard;
    this.dns = dns;
    this.outcomes = outcomes;
  }

  public void create(RoutingContext ctx) {
    SubscriptionRequest req = SubscriptionRequest.parse(body(ctx), null);
    Subscription.Filters filters = filterValues.canonical(req.filters());
    checkUrl(ctx, req.url())
        .compose(v -> service.create(req.url(), req.description(), filters, req.enabled(), req.rateLimit(),
            req.ordered()))
        .onSuccess(s -> ctx.response().setStatusCode(201).putHeader("Location", "/v1/subscriptions/" + s.id())
            .putHeader("Content-Type", "application/json").end(view(s, true).encode()))
        .onFailure(ctx::fail);
  }

  public void list(RoutingContext ctx) {
    JsonArray items = new JsonArray();
    store.all().forEach(s -> items.add(view(s, false)));
    ctx.json(new JsonObject().put("items", items));
  }

  public void get(RoutingContext ctx) {
    ctx.json(view(find(ctx), false));
  }

  public void secret(RoutingContext ctx) {
    Subscription s = find(ctx);
    ctx.json(new JsonObject().put("secret", s.activeSecrets(Instant.now()).get(0)));
  }

  public void update(RoutingContext ctx) {
    Subscription current = find(ctx);
    JsonObject body = body(ctx);
    SubscriptionRequest req = SubscriptionRequest.parse(body, current);
    // Filters saved before they were checked stay as they are until the request changes them.
    Subscription.Filters filters = body.containsKey("filters") ? filterValues.canonical(req.filters())
        : req.filters();
    checkUrl(ctx, req.url())
        .compose(v -> service.update(current, req.url(), req.description(), filters, req.enabled(),
            req.rateLimit(), req.ordered()))
        .onSuccess(s -> {
          if (s.enabled()) {
            outcomes.reset(s.id());
          }
          ctx.json(view(s, false));
        })
        .onFailure(ctx::fail);
  }

  public void delete(RoutingContext ctx) {
    Subscription s = find(ctx);
    service.delete(s.id()).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  public void rotateSecret(RoutingContext ctx) {
    service.rotateSecret(find(ctx)).onSuccess(s -> ctx.json(view(s, true))).onFailure(ctx::fail);
  }

  public void enable(RoutingContext ctx) {
    Subscription s = find(ctx);
    // A URL this server's settings refuse would only be disabled again at the next delivery.
    checkUrl(ctx, s.url())
        .recover(e -> Future.failedFuture(e instanceof ProblemException p && p.problem().status() == 400
            ? new ProblemException(Problem.of(409, p.problem().code(), "Cannot enable: URL refused",
                "The subscription's URL is refused by this server's settings: " + p.problem().detail()
                    + ". Change the setting, or give the subscription a URL it accepts (PUT /v1/subscriptions/"
                    + s.id() + "), then enable it."))
            : e))
        .compose(v -> {
          outcomes.reset(s.id());
          // The latest copy: a change made while the URL was checked is kept.
          return service.setEnabled(find(ctx), true, null);
        })
        .onSuccess(updated -> ctx.json(view(updated, false))).onFailure(ctx::fail);
  }

  private Future<Void> checkUrl(RoutingContext ctx, String url) {
    return dns.submit(ctx.vertx().getOrCreateContext(), () -> guard.check(url)).<Void>mapEmpty().recover(e -> {
      if (e instanceof UrlRefusedException r) {
        return Future.failedFuture(new ProblemException(Problem.of(400, r.code(), "URL refused", r.getMessage())));
      }
      if (e instanceof OverloadedException) {
        return Future.failedFuture(new ProblemException(Problem.of(503, "overloaded", "Overloaded",
            "Too many URL checks are running; retry shortly.")));
      }
      return Future.failedFuture(e);
    });
  }

  private Subscription find(RoutingContext ctx) {
    return find(store, ctx);
  }

  /** The subscription named by the path's {@code id}, or a 404 problem. */
  static Subscription find(SubscriptionStore store, RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return store.get(id).orElseThrow(() -> new ProblemException(Problem.of(404, "unknown-subscription",
        "Unknown subscription", "There is no subscription " + id + ".")));
  }

  private static JsonObject body(RoutingContext ctx) {
    try {
      return ctx.body().length() == 0 ? null : ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      throw new ProblemException(Problem.of(400, "malformed-json", "Malformed JSON", "The body is not valid JSON."));
    }
  }

  /** The API's view: no secrets, except the current one right after creation or rotation. */
  static JsonObject view(Subscription s, boolean withSecret) {
    JsonObject json = new JsonObject(new String(DeliveryJson.write(s), java.nio.charset.StandardCharsets.UTF_8));
    json.remove("secrets");
    if (withSecret) {
      json.put("secret", s.activeSecrets(Instant.now()).get(0));
    }
    return json;
  }
}
