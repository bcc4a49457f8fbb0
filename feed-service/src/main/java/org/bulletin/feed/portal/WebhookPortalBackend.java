package org.bulletin.feed.portal;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bulletin.feed.webhook.Attempt;
import org.bulletin.feed.webhook.Subscription;
import org.bulletin.feed.webhook.SubscriptionAccess;
import org.bulletin.feed.webhook.SubscriptionRequest;
import org.bulletin.feed.webhook.TestEvents;
import org.bulletin.platform.audit.AuditEntry;
import org.bulletin.platform.audit.AuditTrail;
import org.bulletin.platform.auth.Actor;
import org.bulletin.platform.auth.CredentialStore;
import org.bulletin.platform.auth.Partner;
import org.bulletin.platform.auth.Principal;

/**
 * The portal's backend: the same {@link SubscriptionAccess} the API uses, acting as the session's
 * partner (so tenancy is decided in one place, and each action is audited with the session as the
 * key id and the browser's address). Runs on the request's event loop.
 */
public final class WebhookPortalBackend implements PortalBackend {
  private final SubscriptionAccess access;
  private final CredentialStore partners;
  private final TestEvents tests;
  private final AuditTrail audit;
  private final Clock clock;

  public WebhookPortalBackend(SubscriptionAccess access, CredentialStore partners, TestEvents tests, AuditTrail audit,
      Clock clock) {
    this.access = access;
    this.partners = partners;
    this.tests = tests;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public Optional<PortalPartner> partner(String partnerId) {
    return partners.partner(partnerId).filter(Partner::enabled).map(p -> new PortalPartner(p.id(), p.name(), p.sessionsNotBefore()));
  }

  private static Principal principal(PortalCaller c) {
    // The key id names the session, never a credential.
    return Principal.partner("portal-session:" + c.sessionId().substring(0, Math.min(12, c.sessionId().length())),
        c.partnerId());
  }

  private static Actor actor(PortalCaller c) {
    return new Actor(principal(c), c.remoteAddress() == null ? "unknown" : c.remoteAddress());
  }

  @Override
  public List<Subscription> subscriptions(PortalCaller caller) {
    return access.list(principal(caller));
  }

  @Override
  public Optional<Subscription> subscription(PortalCaller caller, String subscriptionId) {
    return access.find(principal(caller), subscriptionId);
  }

  @Override
  public List<Attempt> attempts(PortalCaller caller, Subscription s, int limit) {
    return access.attempts(principal(caller), s.id(), null, limit);
  }

  @Override
  public Future<Subscription> create(PortalCaller caller, JsonObject request) {
    try {
      return access.create(actor(caller), request);
    } catch (RuntimeException e) {
      return Future.failedFuture(e); // a refused request: the page shows why
    }
  }

  @Override
  public Future<Subscription> rotateSecret(PortalCaller caller, Subscription s) {
    return access.rotateSecret(actor(caller), s.id());
  }

  @Override
  public Future<Subscription> setEnabled(PortalCaller caller, Subscription s, boolean enabled) {
    return access.setEnabled(actor(caller), s.id(), enabled);
  }

  @Override
  public Future<Void> delete(PortalCaller caller, Subscription s) {
    return access.delete(actor(caller), s.id());
  }

  @Override
  public Future<String> sendTest(PortalCaller caller, Subscription s) {
    Subscription mine = access.require(principal(caller), s.id());
    return tests.send(mine).andThen(r -> audit.record(AuditEntry.of(actor(caller), clock.instant(),
        "subscription.test", mine.id(), mine.partnerId(), r.succeeded() ? "ok" : "error")));
  }

  @Override
  public Future<Void> resend(PortalCaller caller, Subscription s, String eventId) {
    try {
      return access.resend(actor(caller), s.id(), eventId);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<Integer> replay(PortalCaller caller, Subscription s, Instant since, Instant until) {
    try {
      return access.replay(actor(caller), s.id(), since, until);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public void opened(PortalCaller caller) {
    audit.record(AuditEntry.of(actor(caller), clock.instant(), "portal.open", null, caller.partnerId(), "ok"));
  }
}
