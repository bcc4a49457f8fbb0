package org.bulletin.feed.delivery;

import java.time.Duration;
import org.bulletin.platform.config.Config;

/**
 * Settings of the delivery engine itself (not of webhooks' subscriptions), parsed once at start.
 *
 * @param maxInFlight tasks read and not yet finished on one instance; beyond it the worker stops
 *     fetching until half of them are done
 * @param unknownEndpointGrace how long a task for an endpoint this instance does not know waits for
 *     it to be read (created a moment ago elsewhere) before it is skipped and dead-lettered
 * @param dnsThreads threads resolving endpoint host names (blocking lookups)
 * @param dnsQueue lookups waiting for a DNS thread; beyond, an attempt fails and is retried
 */
public record DeliveryEngineSettings(int maxInFlight, Duration unknownEndpointGrace, int dnsThreads, int dnsQueue) {

  public static DeliveryEngineSettings from(Config config) {
    return new DeliveryEngineSettings(
        config.integer("webhook.delivery.max.in.flight", 2, 10_000_000),
        Durations.parse(config.string("webhook.unknown.subscription.grace")),
        config.integer("webhook.dns.threads", 1, 256),
        config.integer("webhook.dns.queue", 1, 1_000_000));
  }
}
