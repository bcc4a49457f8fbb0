package org.bulletin.feed.websub;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.bulletin.feed.delivery.RecordSender;
import org.bulletin.feed.delivery.UrlGuard;
import org.bulletin.feed.delivery.UrlRefusedException;
import org.bulletin.feed.delivery.VettedUrl;
import org.bulletin.feed.metrics.FeedMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's subscription logic (WebSub 5): checks a request at once, answers, then verifies the
 * subscriber's intent asynchronously on this instance only (the one that accepted the request, so
 * no request is verified twice) and writes the verified result to the compacted subscriptions
 * topic, which every instance reads. Bounded: verifications in flight on this instance and
 * subscriptions in all. {@link #accept} and the verification it starts run on the request's event
 * loop; {@link #remove} and {@link #sweep} on any Vert.x context (the store is thread-safe).
 */
public final class HubService {
  private static final Logger LOG = LoggerFactory.getLogger(HubService.class);
  private final WebSubSettings settings;
  private final TopicCatalog catalog;
  private final HubSubscriptions store;
  private final HubSubscriptionCodec codec;
  private final IntentVerifier verifier;
  private final UrlGuard guard;
  private final RecordSender sender;
  private final FeedMetrics metrics;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicInteger writeFailures = new AtomicInteger();
  private final VerificationRateLimit perHost;

  public HubService(WebSubSettings settings, TopicCatalog catalog, HubSubscriptions store, HubSubscriptionCodec codec,
      IntentVerifier verifier, UrlGuard guard, RecordSender sender, FeedMetrics metrics, Clock clock) {
    this.settings = settings;
    this.catalog = catalog;
    this.store = store;
    this.codec = codec;
    this.verifier = verifier;
    this.guard = guard;
    this.sender = sender;
    this.metrics = metrics;
    this.clock = clock;
    this.perHost = new VerificationRateLimit(settings.verifyPerHostPerMinute(), settings.verifyHostsMax(), clock);
  }

  /**
   * Checks a request and, when it is accepted, starts its verification. The future succeeds when
   * the request is accepted (202) and fails with a {@link HubRequestException} saying why not.
   * Checking the callback resolves its host (on the DNS executor), so the answer waits for it.
   */
  public Future<Void> accept(Context context, HubRequest request) {
    if (catalog.judge(request.topic()) == TopicCatalog.Verdict.FOREIGN) {
      return refused(request, 400, "hub.topic is not a feed of this hub: topics are the rel=\"self\" URLs of its"
          + " feeds, e.g. " + catalog.topic("/feeds/reports.atom"));
    }
    String host;
    try {
      host = guard.parse(request.callback()).getHost().toLowerCase(java.util.Locale.ROOT);
    } catch (UrlRefusedException e) {
      return refused(request, 400, "hub.callback is refused: " + e.getMessage());
    }
    String key = HubSubscription.keyOf(request.topic(), request.callback());
    if (request.mode() == HubRequest.Mode.SUBSCRIBE && store.get(key).isEmpty()
        && store.size() >= settings.maxSubscriptions()) {
      return refused(request, 429, "this hub holds as many subscriptions as it may (websub.subscriptions.max)");
    }
    // Renewals and unsubscribes of subscriptions their callbacks already confirmed share a second
    // budget per host: a flood of new callbacks at a shared host must not lock its subscribers out,
    // and requests naming many existing subscriptions still get the host only one budget of GETs.
    String budget = store.get(key).isPresent() ? "confirmed " + host : host;
    if (!perHost.tryAcquire(budget)) {
      return refused(request, 429, "too many subscription requests for callbacks at this host; retry later"
          + " (websub.verify.per.host.per.minute)");
    }
    if (pending.incrementAndGet() > settings.maxPending()) {
      pending.decrementAndGet();
      return refused(request, 503, "too many subscription requests are being verified; retry shortly");
    }
    return verifier.vet(context, request.callback()).transform(ar -> {
      if (ar.failed()) {
        pending.decrementAndGet();
        Throwable e = ar.cause();
        String why = e instanceof UrlRefusedException ? e.getMessage() : "it could not be checked: " + e.getMessage();
        return refused(request, 400, "hub.callback is refused: " + why);
      }
      metrics.websub(request.mode().wire(), "accepted");
      // After the 202 is sent: a subscriber may only expect the GET once it has its answer.
      // compose: a verification that throws at once fails the future, so the count is always released.
      context.runOnContext(v -> Future.<Void>succeededFuture().compose(x -> verify(request, key, ar.result()))
          .onComplete(done -> {
            pending.decrementAndGet();
            if (done.failed()) {
              LOG.warn("WebSub {} of {} for {} failed: {}", request.mode().wire(), request.topic(),
                  HubSubscription.redacted(request.callback()), done.cause().toString());
            }
          }));
      return Future.succeededFuture();
    });
  }

  private Future<Void> refused(HubRequest request, int status, String reason) {
    metrics.websub(request.mode().wire(), "refused");
    return Future.failedFuture(new HubRequestException(status, reason));
  }

  /** Verification of intent (5.3), or a denial (5.2) for a topic shaped like a feed that does not exist. */
  private Future<Void> verify(HubRequest request, String key, VettedUrl url) {
    boolean subscribing = request.mode() == HubRequest.Mode.SUBSCRIBE;
    if (!subscribing && store.get(key).isEmpty()) {
      // Nothing to unsubscribe: no GET at all (neither a verification nor a denial to a third party).
      metrics.websub(request.mode().wire(), "ignored");
      return Future.succeededFuture();
    }
    if (subscribing && catalog.judge(request.topic()) != TopicCatalog.Verdict.SERVED) {
      return verifier.deny(url, request.topic(), "the topic is not a feed this hub serves")
          .onComplete(ar -> metrics.websub("denied", "sent")).mapEmpty();
    }
    Long lease = subscribing ? settings.leases().grant(request.leaseSeconds()) : null;
    String challenge = challenge();
    Instant requested = clock.instant(); // the lease runs from the verification request (WebSub 5.3)
    return verifier.confirm(url, request, challenge, lease).compose(outcome -> {
      if (!outcome.verified()) {
        metrics.websub(request.mode().wire(), "failed");
        LOG.info("WebSub {} of {} for {} not verified: {}", request.mode().wire(), request.topic(),
            HubSubscription.redacted(request.callback()), outcome.reason());
        return Future.succeededFuture();
      }
      metrics.websub(request.mode().wire(), "verified");
      return subscribing ? subscribe(request, key, lease, requested) : remove(key);
    });
  }

  private Future<Void> subscribe(HubRequest request, String key, long lease, Instant requested) {
    Instant now = clock.instant();
    Instant created = store.get(key).map(HubSubscription::createdAt).orElse(now);
    // A re-subscription replaces lease and secret (none given: none kept), only now it is verified.
    HubSubscription s = new HubSubscription(key, request.topic(), request.callback(), lease,
        requested.plusSeconds(lease), codec.seal(request.secret(), key), now, created);
    return write(key, codec.encode(s)).onSuccess(v -> store.apply(key, s));
  }

  /** Removes a subscription (unsubscribed, expired, gone): a tombstone, read by every instance. */
  public Future<Void> remove(String key) {
    return write(key, null).onSuccess(v -> store.apply(key, null));
  }

  private Future<Void> write(String key, byte[] value) {
    return sender.send(settings.subscriptions().name(), key, value).<Void>mapEmpty()
        .onFailure(e -> {
          writeFailures.incrementAndGet();
          LOG.warn("Could not write WebSub subscription {}: {}", key, e.toString());
        });
  }

  /**
   * Removes subscriptions whose lease ended more than {@code websub.expiry.grace} ago; they got
   * nothing since, this only cleans up. Runs on the hub's context, every
   * {@code websub.expiry.sweep.interval}, on the distributing instance.
   */
  public void sweep() {
    // Only the distributor sweeps, and only leases ended longer than the grace ago: a renewal
    // verified on another instance is read here long before, so a stale sweep cannot remove it.
    Instant before = clock.instant().minus(settings.expiryGrace());
    for (HubSubscription s : store.expired(before)) {
      remove(s.key()).onSuccess(v -> metrics.websub("subscribe", "expired"));
    }
  }

  /** Verifications in flight on this instance. */
  public int pending() {
    return pending.get();
  }

  /** Subscription writes that failed since start (the subscriber was verified but is not subscribed). */
  public int writeFailures() {
    return writeFailures.get();
  }

  private String challenge() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
