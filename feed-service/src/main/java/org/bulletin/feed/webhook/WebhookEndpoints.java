package org.bulletin.feed.webhook;

import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.bulletin.feed.delivery.Endpoint;
import org.bulletin.feed.delivery.EndpointDirectory;
import org.bulletin.feed.delivery.LoggableUrl;
import org.bulletin.feed.delivery.StandardWebhooksSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook subscriptions as the delivery engine's endpoints of channel {@code webhook}: signed per
 * Standard Webhooks with every secret still in its grace. A 410 disables the subscription, as
 * failing too long does; only while its URL is still the one that failed. {@link #find} is called
 * for every queue step on the context of the endpoint's dispatcher shard (several shards at once):
 * the endpoint of an unchanged subscription is built once. Thread-safe.
 */
public final class WebhookEndpoints implements EndpointDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookEndpoints.class);

  private final SubscriptionStore store;
  private final SubscriptionService service;
  private final BooleanSupplier loaded;
  // Bounded by the subscriptions: an entry goes with its subscription (forget).
  private final Map<String, Built> built = new ConcurrentHashMap<>();

  private record Built(Subscription source, Endpoint endpoint) {}

  /** @param loaded true once every subscription in the topic at start is read */
  public WebhookEndpoints(SubscriptionStore store, SubscriptionService service, BooleanSupplier loaded) {
    this.store = store;
    this.service = service;
    this.loaded = loaded;
  }

  @Override
  public Optional<Endpoint> find(String endpointId) {
    Subscription s = store.get(endpointId).orElse(null);
    if (s == null) {
      return Optional.empty();
    }
    Built b = built.get(endpointId);
    if (b == null || b.source() != s) {
      // Two shards may build at once (same result) and the tailer may delete the subscription
      // meanwhile: an entry put after forget() ran is taken out again, so none outlives its subscription.
      b = new Built(s, endpoint(s));
      built.put(endpointId, b);
      if (store.get(endpointId).isEmpty()) {
        built.remove(endpointId, b);
      }
    }
    return Optional.of(b.endpoint());
  }

  /** A deleted subscription's endpoint is forgotten. */
  public void forget(String endpointId) {
    built.remove(endpointId);
  }

  static Endpoint endpoint(Subscription s) {
    return new Endpoint(s.id(), s.url(), s.enabled(), s.disabledReason(), s.ordered(),
        s.rateLimit() == null ? 0 : s.rateLimit(),
        new StandardWebhooksSigner(s.secrets().stream()
            .map(k -> new StandardWebhooksSigner.Secret(k.secret(), k.expiresAt())).toList()));
  }

  @Override
  public Future<Void> disable(String endpointId, String url, String reason) {
    return service.disableAfterFailures(endpointId, url, reason).map(disabled -> {
      disabled.ifPresent(d -> LOG.warn("Disabled webhook endpoint {} ({}): {}", d.id(), LoggableUrl.of(d.url()),
          reason));
      return null;
    });
  }

  /** Webhooks treat 410 as they always did: the subscription is disabled, until re-enabled. */
  @Override
  public Future<Void> gone(String endpointId, String url) {
    return disable(endpointId, url, "the endpoint answered 410 Gone");
  }

  @Override
  public String howToReenable(String endpointId) {
    return "re-enable it (POST /v1/subscriptions/" + endpointId + "/enable)";
  }

  @Override
  public boolean ready() {
    return loaded.getAsBoolean();
  }
}
