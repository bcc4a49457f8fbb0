package org.bulletin.feed.websub;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.bulletin.feed.delivery.Endpoint;
import org.bulletin.feed.delivery.EndpointDirectory;
import org.bulletin.feed.delivery.HubSignatureSigner;
import org.bulletin.feed.delivery.Signer;
import org.bulletin.feed.metrics.FeedMetrics;
import org.bulletin.feed.secrets.SecretUnreadableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSub subscribers as the delivery engine's endpoints (channel {@value #CHANNEL}): the endpoint id
 * is the subscription key, the URL its callback, the signer {@code X-Hub-Signature} with its secret
 * (none without one). An expired lease is a disabled endpoint: it gets nothing. 410 ends the
 * subscription (WebSub 7); so does failing longer than the engine tolerates. Thread-safe.
 */
public final class WebSubEndpoints implements EndpointDirectory {
  public static final String CHANNEL = "websub";
  private static final Logger LOG = LoggerFactory.getLogger(WebSubEndpoints.class);
  private final HubSubscriptions store;
  private final HubSubscriptionCodec codec;
  private final HubService service;
  private final BooleanSupplier loaded;
  private final FeedMetrics metrics;
  private final Clock clock;
  // Opening a sealed secret is AES-GCM: done once per sealed value, not per queue step. One entry
  // per subscription held (bounded by websub.subscriptions.max), dropped when it is removed.
  private final Map<String, SealedSigner> signers = new ConcurrentHashMap<>();
  private final HubPayloads payloads;

  private record SealedSigner(String sealed, Signer signer) {}

  public WebSubEndpoints(HubSubscriptions store, HubSubscriptionCodec codec, HubService service,
      BooleanSupplier loaded, FeedMetrics metrics, Clock clock) {
    this(store, codec, service, loaded, metrics, clock, null);
  }

  /** @param payloads fills each task in with the topic's current document before an attempt */
  public WebSubEndpoints(HubSubscriptions store, HubSubscriptionCodec codec, HubService service,
      BooleanSupplier loaded, FeedMetrics metrics, Clock clock, HubPayloads payloads) {
    this.payloads = payloads;
    this.store = store;
    this.codec = codec;
    this.service = service;
    this.loaded = loaded;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public Optional<Endpoint> find(String endpointId) {
    Optional<HubSubscription> found = store.get(endpointId);
    if (found.isEmpty() && store.ended(endpointId)) {
      // Unsubscribed (or expired, gone) with tasks pending: they end as skipped, not as an unknown endpoint.
      return Optional.of(new Endpoint(endpointId, "", false, "the subscription ended", false, 0, null));
    }
    return found.map(s -> {
      if (!s.activeAt(clock.instant())) {
        return new Endpoint(s.key(), s.callback(), false, "the lease ended at " + s.expiresAt(), false, 0, null);
      }
      Signer signer;
      try {
        signer = s.sealedSecret() == null ? Signer.NONE : signer(s);
      } catch (SecretUnreadableException e) {
        return new Endpoint(s.key(), s.callback(), false, e.getMessage(), false, 0, null);
      }
      return new Endpoint(s.key(), s.callback(), true, null, false, 0, signer);
    });
  }

  private Signer signer(HubSubscription s) {
    SealedSigner cached = signers.get(s.key());
    if (cached == null || !cached.sealed().equals(s.sealedSecret())) {
      // A re-subscription with a new secret replaces the entry of its key.
      cached = new SealedSigner(s.sealedSecret(), new HubSignatureSigner(codec.open(s)));
      signers.put(s.key(), cached);
      if (store.get(s.key()).isEmpty()) {
        signers.remove(s.key()); // removed meanwhile: forget() may have run before the put
      }
    }
    return cached.signer();
  }

  /** A subscription was removed: its signer (and clear secret) goes too. Any thread. */
  public void forget(String key) {
    signers.remove(key);
  }

  /** Signers held (for tests). */
  int signersHeld() {
    return signers.size();
  }

  @Override
  public Future<org.bulletin.feed.delivery.DeliveryTask> resolve(org.bulletin.feed.delivery.DeliveryTask task) {
    return payloads == null ? Future.succeededFuture(task) : payloads.resolve(task);
  }

  @Override
  public Future<Void> disable(String endpointId, String url, String reason) {
    return end(endpointId, url, "ended", reason);
  }

  @Override
  public Future<Void> gone(String endpointId, String url) {
    return end(endpointId, url, "gone", "the callback answered 410 Gone");
  }

  private Future<Void> end(String endpointId, String url, String outcome, String reason) {
    Optional<HubSubscription> s = store.get(endpointId);
    if (s.isEmpty() || !s.get().callback().equals(url)) {
      return Future.succeededFuture();
    }
    LOG.info("WebSub subscription {} ends: {}", s.get(), reason);
    metrics.websub("subscribe", outcome);
    signers.remove(endpointId);
    return service.remove(endpointId);
  }

  @Override
  public String howToReenable(String endpointId) {
    return "the subscriber subscribes again";
  }

  @Override
  public boolean ready() {
    return loaded.getAsBoolean();
  }
}
