package org.bulletin.feed.websub;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.bulletin.feed.delivery.DeliveryProducer;
import org.bulletin.feed.delivery.UrlGuard;
import org.bulletin.feed.metrics.FeedMetrics;
import org.bulletin.feed.render.Links;
import org.bulletin.feed.secrets.SecretSealer;
import org.bulletin.feed.webhook.WebhookSettings;
import org.bulletin.platform.config.KafkaSettings;
import org.bulletin.platform.exec.BoundedExecutor;
import org.bulletin.platform.kafka.ConsumerThread;
import org.bulletin.platform.kafka.TopicTailer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The integrated WebSub hub, assembled: subscriptions in a compacted topic every instance reads,
 * the subscription endpoint and its verification of intent, expiry, and the admins' listing. It
 * shares the webhooks' URL guard settings (webhook.allow.http, webhook.allowlist) and secret keys.
 * Threads start in {@link #start()}, after the topics exist.
 */
public final class WebSubHub implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebSubHub.class);
  private final Vertx vertx;
  private final Context context;
  private final WebSubSettings settings;
  private final HubSubscriptions store;
  private final HubAttempts attempts;
  private TopicTailer attemptTailer;
  private final HubSubscriptionCodec codec;
  private final DeliveryProducer producer;
  private final BoundedExecutor dns;
  private final IntentVerifier verifier;
  private final TopicTailer tailer;
  private final HubService service;
  private final HubHandler handler;
  private final TopicCatalog catalog;
  private final AtomicInteger unreadable = new AtomicInteger();
  private long sweepTimer = -1;
  private volatile long attemptsTimer = -1;
  private static final long ATTEMPTS_START_POLL_MS = 100;
  private final KafkaSettings kafka;
  private HubDistributor distributor;
  private DistributionLeadership leadership;

  /**
   * @param context the context verifications and the expiry sweep run on
   * @param feedPaths the base paths of the feeds that exist now (the view's, any thread)
   */
  public WebSubHub(Vertx vertx, Context context, KafkaSettings kafka, WebSubSettings settings,
      WebhookSettings webhooks, String baseUrl, java.util.function.Supplier<java.util.Set<String>> feedPaths,
      FeedMetrics metrics) {
    this.vertx = vertx;
    this.context = context;
    this.settings = settings;
    this.kafka = kafka;
    this.store = new HubSubscriptions(settings.maxSubscriptions());
    this.attempts = new HubAttempts(store);
    this.codec = new HubSubscriptionCodec(new SecretSealer(webhooks.secretKeys()));
    this.producer = new DeliveryProducer(kafka);
    this.dns = new BoundedExecutor("bulletin-websub-dns", 2, settings.maxPending());
    UrlGuard guard = new UrlGuard(webhooks.allowHttp(), webhooks.allowlist());
    this.verifier = new IntentVerifier(vertx, guard, dns, settings.verifyTimeout(), settings.verifyMaxBytes());
    this.catalog = TopicCatalog.ofFeeds(baseUrl, feedPaths);
    this.service = new HubService(settings, catalog, store, codec, verifier, guard, producer, metrics,
        Clock.systemUTC());
    store.onRemoved(attempts::removed);
    this.handler = new HubHandler(service, store, attempts, catalog, Clock.systemUTC());
    this.tailer = new TopicTailer(kafka, settings.subscriptions().name(), r -> {
      if (r.value() == null) {
        store.apply(r.key(), null);
        return;
      }
      try {
        store.apply(r.key(), codec.decode(r.key(), r.value()));
      } catch (IllegalArgumentException e) {
        unreadable.incrementAndGet();
        LOG.warn("Skipped a WebSub subscription record at {}-{}: {}", r.partition(), r.offset(), e.getMessage());
      }
    });
    metrics.gauge("bulletin_websub_subscriptions", "WebSub subscriptions held (expired ones until removed)",
        store::size);
    metrics.gauge("bulletin_websub_pending_verifications", "WebSub verifications of intent in flight on this instance",
        service::pending);
    metrics.functionCounter("bulletin_websub_unreadable_records_total",
        "Records of the WebSub subscriptions topic that could not be read (skipped, logged)", unreadable::get);
    metrics.functionCounter("bulletin_websub_write_failures_total",
        "Verified WebSub (un)subscriptions that could not be written to the subscriptions topic (logged)",
        service::writeFailures);
  }

  /**
   * Delivers through the shared delivery engine: registers the subscribers as the engine's
   * endpoints of channel {@value WebSubEndpoints#CHANNEL} and distributes document changes into its
   * queue, on the instance that leads the distribution group. Call before the engine and this hub
   * start.
   *
   * @param current the current document at a path as a request gets it; completes on the hub's context
   * @param rendered whether the view rendered its documents after catching up (any thread)
   * @param documents the current document at a path, rendered on demand when evicted, for each attempt
   *     (completes on the caller's context)
   */
  public void deliverThrough(org.bulletin.feed.delivery.EndpointDirectories directories,
      org.bulletin.feed.delivery.DeliveryQueue queue, org.bulletin.feed.delivery.AttemptWriter writer,
      FeedMetrics metrics,
      java.util.function.Function<String, io.vertx.core.Future<java.util.Optional<org.bulletin.feed.serve.CachedDocument>>>
          current, java.util.function.BooleanSupplier rendered, HubPayloads.Documents documents) {
    WebSubEndpoints endpoints = new WebSubEndpoints(store, codec, service, tailer::isCaughtUp, metrics,
        Clock.systemUTC(), new HubPayloads(catalog, documents));
    store.onRemoved(endpoints::forget);
    directories.register(WebSubEndpoints.CHANNEL, endpoints);
    // The webhooks read this topic too, under the topic's own thread name.
    // This instance's attempts come straight from the writer once durable; the topic gives other
    // instances' and earlier runs' (records without WebSub attempts are skipped unread).
    writer.onDurable(attempts::add);
    org.bulletin.feed.delivery.AttemptTail tail = new org.bulletin.feed.delivery.AttemptTail(writer.instance(),
        WebSubEndpoints.CHANNEL, attempts::add);
    attemptTailer = new TopicTailer("bulletin-tail-websub-attempts", kafka, writer.topic(), r -> {
      try {
        tail.accept(r);
      } catch (RuntimeException e) {
        LOG.debug("Skipped an unreadable attempt record at {}-{}", r.partition(), r.offset());
      }
    });
    HubDistributor[] self = new HubDistributor[1];
    leadership = new DistributionLeadership(kafka, settings.distribution().name(), settings.group(),
        () -> self[0].tookOver());
    distributor = new HubDistributor(context, store, catalog, leadership, producer, settings.distribution().name(),
        new EngineDeliveries(queue, Clock.systemUTC()), current,
        // Takeover compares every topic with subscribers: it needs them all loaded, not only the view.
        () -> rendered.getAsBoolean() && tailer.isCaughtUp(), Clock.systemUTC(),
        new DistributionQueue.Limits(settings.distributing().maxInFlight(), settings.distributing().retryMax(),
            settings.distributing().downAfter()));
    self[0] = distributor;
    metrics.functionCounter("bulletin_websub_distribution_failures_total",
        "WebSub document changes that could not be handed to the delivery engine (each retried with backoff)",
        distributor::failures);
  }

  /**
   * Current feed documents whose bytes changed (by path); called on the view thread after each
   * batch. Handed to the distributor when this instance leads it.
   */
  public void changed(Map<String, org.bulletin.feed.serve.CachedDocument> documents) {
    if (distributor != null) {
      distributor.changed(documents);
    }
  }

  /** Mounts {@code POST /websub} (public) and {@code GET /v1/websub/subscriptions} (behind {@code admin}). */
  public void mount(Router router, Handler<RoutingContext> admin) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(settings.bodyLimitBytes());
    router.post(Links.HUB_PATH).handler(body).handler(handler::subscribe).failureHandler(ctx -> {
      if (ctx.statusCode() == 413) {
        HubHandler.text(ctx, 413, "the request body is larger than " + settings.bodyLimitBytes() + " bytes");
      } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
        // A form the body handler could not decode (bad percent-encoding, too many fields): the hub
        // answers in plain text like every other refusal (WebSub 5.1.2).
        HubHandler.text(ctx, ctx.statusCode(), "the request body is not a readable form (invalid percent-encoding,"
            + " too many fields or a field too large)");
      } else {
        ctx.next();
      }
    });
    router.get("/v1/websub/subscriptions").handler(admin).handler(handler::list);
  }

  /** The name of the topic holding subscriptions, for topic creation. */
  public List<org.bulletin.platform.config.TopicSettings> topics() {
    return List.of(settings.subscriptions(), settings.distribution());
  }

  /** Fetches the producer's metadata. Blocking: runs on the admin thread. */
  public void warmUp() {
    producer.warmUp(List.of(settings.subscriptions().name(), settings.distribution().name()));
  }

  public void start() {
    tailer.start();
    if (leadership != null) {
      leadership.start();
      // Attempts are kept only for subscriptions held: read them once the subscriptions are loaded,
      // or the attempts of every subscription not read yet would be dropped.
      attemptsTimer = vertx.setPeriodic(ATTEMPTS_START_POLL_MS, id -> {
        if (tailer.isCaughtUp()) {
          vertx.cancelTimer(id);
          attemptsTimer = -1;
          attemptTailer.start();
        }
      });
    }
    sweepTimer = vertx.setPeriodic(settings.sweepInterval().toMillis(), id -> context.runOnContext(v -> {
      if (tailer.isCaughtUp() && distributing()) {
        service.sweep();
      }
    }));
  }

  /** Every subscription, as read from the topic. */
  public HubSubscriptions subscriptions() {
    return store;
  }

  /** Opens sealed secrets, for the distributor. */
  public HubSubscriptionCodec codec() {
    return codec;
  }

  public TopicCatalog catalog() {
    return catalog;
  }

  public HubService service() {
    return service;
  }

  /** Why the hub is not ready, or null. */
  public String problem() {
    if (!tailer.isCaughtUp()) {
      return "the WebSub subscriptions are not loaded yet";
    }
    return distributor == null ? null : distributor.problem();
  }

  public List<ConsumerThread> threads() {
    return leadership == null ? List.of(tailer) : List.of(tailer, leadership, attemptTailer);
  }

  /** True while this instance distributes changes (for tests and metrics). */
  public boolean distributing() {
    return leadership != null && leadership.leader();
  }

  @Override
  public void close() {
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
    if (attemptsTimer >= 0) {
      vertx.cancelTimer(attemptsTimer);
    }
    threads().forEach(ConsumerThread::requestStop);
    if (leadership != null) {
      leadership.close();
      attemptTailer.close();
    }
    tailer.close();
    verifier.close();
    producer.close();
    dns.close();
  }
}
