package org.bulletin.feed.webhook;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bulletin.feed.delivery.DeliveryOutcomes;
import org.bulletin.feed.delivery.UrlGuard;
import org.bulletin.feed.delivery.UrlRefusedException;
import org.bulletin.platform.audit.AuditEntry;
import org.bulletin.platform.audit.AuditTrail;
import org.bulletin.platform.auth.Actor;
import org.bulletin.platform.auth.CredentialStore;
import org.bulletin.platform.auth.Principal;
import org.bulletin.platform.exec.BoundedExecutor;
import org.bulletin.platform.exec.OverloadedException;
import org.bulletin.platform.http.Problem;
import org.bulletin.platform.http.ProblemException;

/**
 * Subscriptions as a principal may see and manage them: the one place where tenancy is decided,
 * used by the API handlers and the partner portal alike. Admins see everything; a partner only its
 * own subscriptions (another's is "unknown", a 404, never a 403, so ids do not leak); publishers
 * nothing. Every change is audited with the actor.
 *
 * <p>Call from a Vert.x event loop (futures complete on it); failures are {@link ProblemException}s
 * with stable codes.
 */
public final class SubscriptionAccess {
  private final SubscriptionStore store;
  private final SubscriptionService service;
  private final CredentialStore credentials;
  private final AttemptLog attempts;
  private final EventReplayer replayer;
  private final BoundedExecutor replayExecutor;
  private final UrlGuard guard;
  private final BoundedExecutor dns;
  private final DeliveryOutcomes outcomes;
  private final AuditTrail audit;
  private final Clock clock;
  private final FilterValues filterValues;
  private final int maxPerPartner;

  public SubscriptionAccess(SubscriptionStore store, SubscriptionService service, CredentialStore credentials,
      AttemptLog attempts, EventReplayer replayer, BoundedExecutor replayExecutor, UrlGuard guard, BoundedExecutor dns,
      DeliveryOutcomes outcomes, AuditTrail audit, Clock clock, FilterValues filterValues, int maxPerPartner) {
    this.filterValues = filterValues;
    this.maxPerPartner = maxPerPartner;
    this.store = store;
    this.service = service;
    this.credentials = credentials;
    this.attempts = attempts;
    this.replayer = replayer;
    this.replayExecutor = replayExecutor;
    this.guard = guard;
    this.dns = dns;
    this.outcomes = outcomes;
    this.audit = audit;
    this.clock = clock;
  }

  /** The subscriptions {@code who} may see, oldest first. */
  public List<Subscription> list(Principal who) {
    return store.all().stream().filter(s -> who.owns(s.partnerId())).toList();
  }

  /** Admins only: the subscriptions of one partner ({@code partnerId} null: of no partner). */
  public List<Subscription> listOf(Principal who, String partnerId) {
    return list(who).stream().filter(s -> java.util.Objects.equals(s.partnerId(), partnerId)).toList();
  }

  public Optional<Subscription> find(Principal who, String id) {
    return store.get(id).filter(s -> who.owns(s.partnerId()));
  }

  /** The subscription, or a 404 {@code unknown-subscription} problem (also for another partner's). */
  public Subscription require(Principal who, String id) {
    return find(who, id).orElseThrow(() -> new ProblemException(Problem.of(404, "unknown-subscription",
        "Unknown subscription", "There is no subscription " + id + ".")));
  }

  /**
   * Creates a subscription owned by the calling partner, or, for an admin, by {@code req.partnerId()}
   * (which must exist) or by no partner. The answer carries the secret (show it once). A partner
   * already owning {@code webhook.partner.max.subscriptions} gets 409 {@code subscription-limit}
   * (checked against this instance's view, so concurrent creates on several instances may pass it by
   * a few).
   */
  public Future<Subscription> create(Actor actor, io.vertx.core.json.JsonObject body) {
    SubscriptionRequest req = refusedIsAudited(actor, "subscription.create", null, actor.principal().partnerId(),
        () -> SubscriptionRequest.parse(body, null));
    return create(actor, req);
  }

  /** {@link #create(Actor, io.vertx.core.json.JsonObject)} of a request already parsed. */
  public Future<Subscription> create(Actor actor, SubscriptionRequest req) {
    Principal who = actor.principal();
    String owner;
    if (who.kind() == Principal.Kind.PARTNER) {
      if (req.partnerId() != null && !req.partnerId().equals(who.partnerId())) {
        return audited(actor, "subscription.create", null, who.partnerId(), Future.failedFuture(new ProblemException(Problem.of(400, "invalid-subscription",
            "Invalid subscription", "A partner key creates subscriptions for its own partner only; omit partnerId."))));
      }
      owner = who.partnerId();
    } else if (who.isAdmin()) {
      owner = req.partnerId();
      if (owner != null && credentials.partner(owner).isEmpty()) {
        return audited(actor, "subscription.create", null, owner, Future.failedFuture(new ProblemException(
            Problem.of(404, "unknown-partner", "Unknown partner", "There is no partner " + owner + "."))));
      }
    } else {
      return Future.failedFuture(forbidden());
    }
    if (owner != null && store.all().stream().filter(s -> owner.equals(s.partnerId())).count() >= maxPerPartner) {
      return audited(actor, "subscription.create", null, owner, Future.failedFuture(new ProblemException(
          Problem.of(409, "subscription-limit", "Subscription limit reached", "Partner " + owner + " already has "
              + maxPerPartner + " subscriptions, the most allowed (setting webhook.partner.max.subscriptions,"
              + " BULLETIN_WEBHOOK_PARTNER_MAX_SUBSCRIPTIONS). Delete one first."))));
    }
    Subscription.Filters filters = refusedIsAudited(actor, "subscription.create", null, owner,
        () -> filterValues.canonical(req.filters()));
    return audited(actor, "subscription.create", null, owner,
        checkUrl(req.url()).compose(v -> service.create(owner, req.url(), req.description(), filters,
            req.enabled(), req.rateLimit(), req.ordered())));
  }

  /** Applies {@code body} (a partial update) to the subscription. */
  public Future<Subscription> update(Actor actor, String id, io.vertx.core.json.JsonObject body) {
    Subscription current = require(actor, "subscription.update", id);
    SubscriptionRequest req = refusedIsAudited(actor, "subscription.update", id, current.partnerId(),
        () -> SubscriptionRequest.parse(body, current));
    // Filters saved before they were checked stay as they are until the request changes them.
    Subscription.Filters filters = body != null && body.containsKey("filters")
        ? refusedIsAudited(actor, "subscription.update", id, current.partnerId(),
            () -> filterValues.canonical(req.filters()))
        : req.filters();
    return audited(actor, "subscription.update", id, current.partnerId(), checkUrl(req.url())
        .compose(v -> service.update(current, req.url(), req.description(), filters, req.enabled(),
            req.rateLimit(), req.ordered()))
        .onSuccess(s -> {
          if (s.enabled()) {
            outcomes.reset(WebhookPayloads.CHANNEL, s.id());
          }
        }));
  }

  public Future<Void> delete(Actor actor, String id) {
    Subscription s = require(actor, "subscription.delete", id);
    return audited(actor, "subscription.delete", id, s.partnerId(), service.delete(s.id()));
  }

  /** A new current secret (in the answer: show it once); the old one signs on during the grace. */
  public Future<Subscription> rotateSecret(Actor actor, String id) {
    Subscription s = require(actor, "subscription.rotate-secret", id);
    return audited(actor, "subscription.rotate-secret", id, s.partnerId(), service.rotateSecret(s));
  }

  public Future<Subscription> setEnabled(Actor actor, String id, boolean enabled) {
    Subscription s = require(actor, enabled ? "subscription.enable" : "subscription.disable", id);
    if (!enabled) {
      return audited(actor, "subscription.disable", id, s.partnerId(),
          service.setEnabled(s, false, "disabled by request"));
    }
    // A URL this server's settings refuse would only be disabled again at the next delivery.
    Future<Subscription> enabling = checkUrl(s.url())
        .recover(e -> Future.failedFuture(e instanceof ProblemException p && p.problem().status() == 400
            ? new ProblemException(Problem.of(409, p.problem().code(), "Cannot enable: URL refused",
                "The subscription's URL is refused by this server's settings: " + p.problem().detail()
                    + ". Change the setting, or give the subscription a URL it accepts (PUT /v1/subscriptions/"
                    + s.id() + "), then enable it."))
            : e))
        .compose(v -> {
          outcomes.reset(WebhookPayloads.CHANNEL, s.id());
          // The latest copy: a change made while the URL was checked is kept.
          return service.setEnabled(require(actor.principal(), id), true, null);
        });
    return audited(actor, "subscription.enable", id, s.partnerId(), enabling);
  }

  /** The current signing secret. */
  public String secret(Actor actor, String id) {
    Subscription s = require(actor, "subscription.read-secret", id);
    audit.record(AuditEntry.of(actor, clock.instant(), "subscription.read-secret", id, s.partnerId(), "ok"));
    return s.activeSecrets(clock.instant()).get(0);
  }

  /** Recent attempts of one endpoint, newest first, optionally of one event. */
  public List<Attempt> attempts(Principal who, String id, String eventId, int limit) {
    Subscription s = require(who, id);
    return attempts.forEndpoint(s.id(), eventId, limit);
  }

  /** Attempts of one event at the endpoints {@code who} may see. */
  public List<Attempt> eventAttempts(Principal who, String eventId) {
    return attempts.forEvent(eventId).stream().filter(a -> find(who, a.subscriptionId()).isPresent()).toList();
  }

  /**
   * Delivers one event again to the endpoint. Only an event this endpoint was sent can be resent (so
   * the answer never tells whether another endpoint got it): 404 {@code unknown-event} when no
   * attempt of it is logged for this endpoint, 409 {@code not-resendable} for a test event (it is in
   * no topic), 410 {@code event-gone} when it is no longer in the reports topic.
   */
  public Future<Void> resend(Actor actor, String id, String eventId) {
    Subscription s = require(actor, "subscription.resend", id);
    Attempt known = refusedIsAudited(actor, "subscription.resend", id, s.partnerId(),
        () -> attempts.forEndpoint(s.id(), eventId, 1).stream().findFirst().orElseThrow(() -> new ProblemException(
            Problem.of(404, "unknown-event", "Unknown event",
                "No delivery of event " + eventId + " to this subscription is in the attempt log."))));
    if (known.sourcePartition() < 0) {
      return audited(actor, "subscription.resend", id, s.partnerId(), Future.failedFuture(new ProblemException(
          Problem.of(409, "not-resendable", "Not resendable",
              "Event " + eventId + " is a test event; it is in no topic. Send a new test event instead."))));
    }
    Future<Void> done = replayExecutor.submit(Vertx.currentContext(),
            () -> replayer.resend(s, known.sourcePartition(), known.sourceOffset()))
        .recover(SubscriptionAccess::overloaded)
        .compose(found -> found ? Future.succeededFuture() : Future.failedFuture(new ProblemException(Problem.of(
            410, "event-gone", "Event gone", "The event is no longer in the reports topic (compacted or expired)."))));
    return audited(actor, "subscription.resend", id, s.partnerId(), done);
  }

  /** Sends each report with events in [since, until] again; the number of events queued. */
  public Future<Integer> replay(Actor actor, String id, Instant since, Instant until) {
    Subscription s = require(actor, "subscription.replay", id);
    if (until.isBefore(since)) {
      return audited(actor, "subscription.replay", id, s.partnerId(), Future.failedFuture(
          new ProblemException(Problem.of(400, "invalid-request", "Invalid request", "until is before since."))));
    }
    return audited(actor, "subscription.replay", id, s.partnerId(),
        replayExecutor.submit(Vertx.currentContext(), () -> replayer.replay(s, since, until))
            .recover(SubscriptionAccess::overloaded));
  }

  /**
   * {@link #require} for an action: a miss (also another partner's id) is audited with the caller's
   * partner, so probing other tenants' ids shows in the audit log.
   */
  private Subscription require(Actor actor, String action, String id) {
    Optional<Subscription> s = find(actor.principal(), id);
    if (s.isEmpty()) {
      audit.record(AuditEntry.of(actor, clock.instant(), action, id, actor.principal().partnerId(),
          "unknown-subscription"));
    }
    return require(actor.principal(), id);
  }

  /** Runs {@code request} (which may throw a problem), auditing a refusal before rethrowing it. */
  private <T> T refusedIsAudited(Actor actor, String action, String target, String partnerId,
      java.util.function.Supplier<T> request) {
    try {
      return request.get();
    } catch (ProblemException e) {
      audit.record(AuditEntry.of(actor, clock.instant(), action, target, partnerId, e.problem().code()));
      throw e;
    }
  }

  private <T> Future<T> audited(Actor actor, String action, String target, String partnerId, Future<T> work) {
    return work.andThen(r -> {
      String outcome = r.succeeded() ? "ok"
          : r.cause() instanceof ProblemException pe ? pe.problem().code() : "error";
      String t = target != null ? target : r.succeeded() && r.result() instanceof Subscription s ? s.id() : null;
      audit.record(AuditEntry.of(actor, clock.instant(), action, t, partnerId, outcome));
    });
  }

  private static <T> Future<T> overloaded(Throwable e) {
    if (e instanceof OverloadedException) {
      return Future.failedFuture(new ProblemException(Problem.of(503, "overloaded", "Overloaded",
          "Too many replays are running; retry shortly.")));
    }
    return Future.failedFuture(e);
  }

  private Future<Void> checkUrl(String url) {
    return dns.submit(Vertx.currentContext(), () -> guard.check(url)).<Void>mapEmpty().recover(e -> {
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

  private static ProblemException forbidden() {
    return new ProblemException(Problem.of(403, "forbidden", "Forbidden", "This credential may not manage subscriptions."));
  }
}
