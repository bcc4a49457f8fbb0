package org.bulletin.feed.portal;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bulletin.feed.webhook.Attempt;
import org.bulletin.feed.webhook.Subscription;

/**
 * What the portal needs from the rest of the service, always in the name of one partner: a
 * subscription of another partner (or of none) is never returned, so the portal answers 404 for
 * it as for an id that does not exist. Futures complete on the caller's context; a refused
 * input fails with a {@link org.bulletin.platform.http.ProblemException} whose detail the page shows.
 */
public interface PortalBackend {
  /** The partner, if it exists and is enabled (a session of any other ends at once). */
  Optional<PortalPartner> partner(String partnerId);

  List<Subscription> subscriptions(PortalCaller caller);

  Optional<Subscription> subscription(PortalCaller caller, String subscriptionId);

  /** The newest attempts first, at most {@code limit}. */
  List<Attempt> attempts(PortalCaller caller, Subscription s, int limit);

  /**
   * A new endpoint of the partner (its URL checked first); the result carries its secret.
   *
   * @param request the fields of the subscriptions API's create request
   */
  Future<Subscription> create(PortalCaller caller, io.vertx.core.json.JsonObject request);

  /** A new current secret (first in the result); the old one keeps signing for the grace period. */
  Future<Subscription> rotateSecret(PortalCaller caller, Subscription s);

  Future<Subscription> setEnabled(PortalCaller caller, Subscription s, boolean enabled);

  Future<Void> delete(PortalCaller caller, Subscription s);

  /** Queues a {@code webhook.test} event for the endpoint; answers its event id. */
  Future<String> sendTest(PortalCaller caller, Subscription s);

  /** Queues the event again; fails with a 404 or 410 problem when it cannot. */
  Future<Void> resend(PortalCaller caller, Subscription s, String eventId);

  /** Queues each report that had events in the range once; answers how many. */
  Future<Integer> replay(PortalCaller caller, Subscription s, Instant since, Instant until);

  /** Notes that a partner opened the portal (audit). */
  void opened(PortalCaller caller);
}
