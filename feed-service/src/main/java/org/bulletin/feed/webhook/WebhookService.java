package org.bulletin.feed.webhook;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import org.bulletin.feed.delivery.AttemptRecord;
import org.bulletin.feed.delivery.AttemptTail;
import org.bulletin.feed.delivery.AttemptWriter;
import org.bulletin.feed.delivery.FailingClock;
import org.bulletin.feed.delivery.UrlHash;
import org.bulletin.feed.delivery.EndpointDirectories;
import org.bulletin.feed.delivery.DeliveryEngineSettings;
import org.bulletin.feed.delivery.DeliveryOutcomes;
import org.bulletin.feed.delivery.DeliveryQueue;
import org.bulletin.feed.delivery.DeliveryProducer;
import org.bulletin.feed.delivery.DeliveryWorker;
import org.bulletin.feed.delivery.DeliveryShards;
import org.bulletin.feed.delivery.EndpointDispatcher;
import org.bulletin.feed.delivery.HttpDeliverer;
import org.bulletin.platform.kafka.TopicTailer;
import org.slf4j.LoggerFactory;
import org.bulletin.feed.delivery.UrlGuard;
import org.bulletin.feed.metrics.FeedMetrics;
import org.bulletin.platform.config.KafkaSettings;
import org.bulletin.platform.exec.BoundedExecutor;
import java.util.Set;
import org.bulletin.feed.partners.AuditHandler;
import org.bulletin.feed.partners.PartnersHandler;
import org.bulletin.feed.secrets.SecretSealer;
import org.bulletin.platform.audit.AuditReader;
import org.bulletin.platform.config.ConfigException;
import org.bulletin.platform.audit.KafkaAuditTrail;
import org.bulletin.platform.auth.ApiAuthHandler;
import org.bulletin.platform.auth.CredentialService;
import org.bulletin.platform.auth.Credentials;
import org.bulletin.platform.auth.Principal;

/**
 * Webhook fan-out to partner sites, assembled: subscriptions (compacted topic), fan-out of report
 * events into durable tasks, delivery with retries, the attempt log, and the HTTP API. Threads
 * start in {@link #start()}, after the topics exist.
 */
public final class WebhookService implements AutoCloseable {
  private final WebhookSettings settings;
  private final DeliveryProducer producer;
  private final SubscriptionStore store = new SubscriptionStore();
  private final AttemptLog attempts;
  private final TopicTailer subscriptionTailer;
  private final TopicTailer attemptTailer;
  private final AttemptWriter attemptWriter;
  private final BoundedExecutor dns;
  private final BoundedExecutor replays;
  private final BoundedExecutor auditReads = new BoundedExecutor("bulletin-audit-read", 1, 4);
  private final PartnersHandler partnersHandler;
  private final AuditHandler auditHandler;
  private final DeliveryWorker worker;
  private final DeliveryShards dispatcher;
  private volatile String shardsProblem;
  private volatile boolean closed;
  private final EndpointDirectories directories;
  private final DeliveryQueue queue;
  private final FanOutConsumer fanOut;
  private final SubscriptionsHandler subscriptionsHandler;
  private final DeliveriesHandler deliveriesHandler;
  private final TestEvents testEvents;
  private final Credentials credentials;
  private final CredentialService credentialService;
  private final KafkaAuditTrail audit;
  private final SubscriptionAccess access;
  private final SubscriptionService subscriptions;

  /**
   * @param context the context of the verticle this service belongs to (the dispatcher's shards
   *     get event loops of their own, see {@link DeliveryShards})
   * @param vocabulary the districts and tags seen, to check filters against
   * @param viewCaughtUp true once the view has read the reports topic to its end
   */
  public WebhookService(Vertx vertx, Context context, KafkaSettings kafka, WebhookSettings settings,
      FeedMetrics metrics, org.bulletin.feed.view.Vocabulary vocabulary,
      java.util.function.BooleanSupplier viewCaughtUp) {
    this.settings = settings;
    DeliveryEngineSettings engine = settings.engine();
    this.dns = new BoundedExecutor("bulletin-webhook-dns", engine.dnsThreads(), engine.dnsQueue());
    this.replays = new BoundedExecutor("bulletin-webhook-replay", settings.replayThreads(), settings.replayQueue());
    this.producer = new DeliveryProducer(kafka);
    this.attempts = new AttemptLog(settings.attemptsKeptPerEndpoint(), settings.attemptSnippetBytes(),
        settings.attemptLogBytes());
    if (settings.secretKeys().isEmpty()) {
      throw new ConfigException("secrets.keys (BULLETIN_SECRETS_KEYS) must list a key to encrypt webhook signing"
          + " secrets with, e.g. k1:<32 random bytes in base64>; ./bulletin up creates a development key");
    }
    SubscriptionService service = new SubscriptionService(store, producer, settings,
        new SubscriptionCodec(new SecretSealer(settings.secretKeys())), Clock.systemUTC());
    this.subscriptions = service;
    FailingClock failing = new FailingClock(engine.failingEndpointsMax());
    this.subscriptionTailer = new TopicTailer(kafka, settings.subscriptions().name(), r -> {
      try {
        boolean wasDisabled = r.key() != null && store.get(r.key()).map(s -> !s.enabled()).orElse(false);
        service.applyRecord(r.key(), r.value());
        if (wasDisabled) {
          // Re-enabled, on whichever instance: failures from before do not count, on every instance.
          store.get(r.key()).filter(s -> s.enabled() && s.updatedAt() != null)
              .ifPresent(s -> failing.cleared(WebhookPayloads.CHANNEL, s.id(),
                  UrlHash.of(s.url()), s.updatedAt()));
        }
      } finally {
        store.read(r.partition(), r.offset()); // after applying; also when unreadable, not to hold the fan-out
      }
    });
    this.attemptWriter = new AttemptWriter(producer, engine.attempts().name(), engine.attemptBatchMaxCount(),
        engine.attemptBatchMaxBytes(), engine.maxInFlight());
    // This instance's attempts go to its log once durable; other instances' and earlier runs' are
    // read from the topic, and every channel's feed the "failing since" clock.
    attemptWriter.onDurable(this::logAttempt);
    this.attemptTailer = new TopicTailer(kafka, settings.attempts().name(),
        new AttemptTail(attemptWriter.instance(), null, a -> {
          failing.fold(a);
          logAttempt(a);
        }));
    this.credentials = new Credentials(kafka, settings.auth());
    this.credentialService = new CredentialService(credentials.store(),
        (key, value) -> producer.send(settings.auth().credentials().name(), key, value), Clock.systemUTC());
    this.audit = new KafkaAuditTrail((key, value) -> producer.send(settings.audit().name(), key, value));
    UrlGuard guard = new UrlGuard(engine.allowHttp(), engine.allowlist());
    WebhookEndpoints endpoints = new WebhookEndpoints(store, service, subscriptionTailer::isCaughtUp);
    this.directories = new EndpointDirectories().register(WebhookPayloads.CHANNEL, endpoints);
    DeliveryOutcomes outcomes = new DeliveryOutcomes(producer, attemptWriter, failing, engine, directories, metrics);
    store.onRemoved(id -> {
      attempts.removeEndpoint(id);
      outcomes.forget(WebhookPayloads.CHANNEL, id);
      endpoints.forget(id);
    });
    // One HTTP client per shard, used only on its shard's context: Vert.x opens a pooled connection
    // on the event loop of the context that asks for it, so each shard's connections stay on its
    // own loop. Built here, the clients close with this verticle, after its stop (as before).
    HttpDeliverer[] deliverers = new HttpDeliverer[engine.dispatcherShards()];
    for (int i = 0; i < deliverers.length; i++) {
      deliverers[i] = new HttpDeliverer(vertx, guard, dns, engine.timeout(), engine.responseMaxBytes());
    }
    this.dispatcher = new DeliveryShards(vertx, deliverers.length,
        (shardContext, i) -> new EndpointDispatcher(vertx, shardContext, directories, deliverers[i]::attempt,
            outcomes, engine));
    this.worker = new DeliveryWorker(kafka, engine, dispatcher, directories::ready, outcomes,
        producer, metrics);
    this.queue = new DeliveryQueue(producer, engine);
    this.fanOut = new FanOutConsumer(kafka, settings, store, subscriptionTailer::isCaughtUp);
    this.access = new SubscriptionAccess(store, service, credentials.store(), attempts,
        new EventReplayer(kafka, settings, producer), replays, guard, dns, outcomes, audit, Clock.systemUTC(),
        new FilterValues(vocabulary, viewCaughtUp),
        settings.maxSubscriptionsPerPartner());
    this.subscriptionsHandler = new SubscriptionsHandler(access);
    this.partnersHandler = new PartnersHandler(credentialService, access, audit, Clock.systemUTC());
    this.auditHandler = new AuditHandler(new AuditReader(kafka, settings.audit().name(), settings.auditScanLimit()),
        auditReads);
    this.deliveriesHandler = new DeliveriesHandler(access);
    this.testEvents = new TestEvents(producer, settings, Clock.systemUTC());
    metrics.functionCounter("bulletin_audit_write_failures_total",
        "Audit records that could not be written to the audit topic", audit::failures);
    metrics.gauge("bulletin_delivery_attempt_records_waiting",
        "Attempt records waiting for the batch being written to the attempts topic", attemptWriter::waiting);
    metrics.functionCounter("bulletin_delivery_attempt_records_refused_total",
        "Attempt records refused because too many waited to be written (each is written again later)",
        attemptWriter::refused);
    metrics.gauge("bulletin_webhook_pending_retries",
        "Retries waiting on this instance: in the retry tiers it reads, read from them and not finished, or in memory",
        worker::pendingRetries);
    metrics.gauge("bulletin_webhook_disabled_endpoints", "Subscriptions that are disabled", store::disabledCount);
  }

  /**
   * Mounts {@code /v1/subscriptions} and {@code /v1/events} (admins and partner keys) and
   * {@code /v1/partners}, {@code /v1/publisher-keys}, {@code /v1/audit} (admins only).
   */
  public void mount(Router router) {
    ApiAuthHandler auth = credentials.handler(Set.of(Principal.Kind.ADMIN, Principal.Kind.PARTNER));
    BodyHandler body = BodyHandler.create(false).setBodyLimit(settings.apiBodyLimitBytes());
    router.route("/v1/*").failureHandler(new org.bulletin.platform.http.BodyTooLarge(settings.apiBodyLimitBytes(),
        "BULLETIN_WEBHOOK_API_BODY_LIMIT_BYTES"));
    SubscriptionsHandler s = subscriptionsHandler;
    DeliveriesHandler d = deliveriesHandler;
    router.post("/v1/subscriptions").handler(auth).handler(body).handler(s::create);
    router.get("/v1/subscriptions").handler(auth).handler(s::list);
    router.get("/v1/subscriptions/:id").handler(auth).handler(s::get);
    router.route("/v1/subscriptions/:id").method(HttpMethod.PUT).method(HttpMethod.PATCH).handler(auth).handler(body)
        .handler(s::update);
    router.delete("/v1/subscriptions/:id").handler(auth).handler(s::delete);
    router.get("/v1/subscriptions/:id/secret").handler(auth).handler(s::secret);
    router.post("/v1/subscriptions/:id/rotate-secret").handler(auth).handler(s::rotateSecret);
    router.post("/v1/subscriptions/:id/enable").handler(auth).handler(s::enable);
    router.get("/v1/subscriptions/:id/attempts").handler(auth).handler(d::endpointAttempts);
    router.post("/v1/subscriptions/:id/resend").handler(auth).handler(body).handler(d::resend);
    router.post("/v1/subscriptions/:id/replay").handler(auth).handler(body).handler(d::replay);
    router.get("/v1/events/:eventId/attempts").handler(auth).handler(d::eventAttempts);

    ApiAuthHandler admin = credentials.handler(Set.of(Principal.Kind.ADMIN));
    PartnersHandler p = partnersHandler;
    router.post("/v1/partners").handler(admin).handler(body).handler(p::create);
    router.get("/v1/partners").handler(admin).handler(p::list);
    router.get("/v1/partners/:id").handler(admin).handler(p::get);
    router.patch("/v1/partners/:id").handler(admin).handler(body).handler(p::update);
    router.delete("/v1/partners/:id").handler(admin).handler(p::delete);
    router.post("/v1/partners/:id/keys").handler(admin).handler(p::issuePartnerKey);
    router.get("/v1/partners/:id/keys").handler(admin).handler(p::listPartnerKeys);
    router.delete("/v1/partners/:id/keys/:keyId").handler(admin).handler(p::revokePartnerKey);
    router.post("/v1/publisher-keys").handler(admin).handler(p::issuePublisherKey);
    router.get("/v1/publisher-keys").handler(admin).handler(p::listPublisherKeys);
    router.delete("/v1/publisher-keys/:keyId").handler(admin).handler(p::revokePublisherKey);
    router.get("/v1/audit").handler(admin).handler(auditHandler::list);
    router.post("/v1/secrets/reseal").handler(admin).handler(ctx -> {
      org.bulletin.platform.auth.Actor actor = org.bulletin.platform.auth.Actor.of(ctx);
      subscriptions.resealStale()
          .andThen(r -> audit.record(org.bulletin.platform.audit.AuditEntry.of(actor, Clock.systemUTC().instant(),
              "secrets.reseal", null, null,
              r.succeeded() ? "ok" : "error")))
          .onSuccess(n -> ctx.json(new io.vertx.core.json.JsonObject().put("resealed", n)
              .put("exposedInClear", new io.vertx.core.json.JsonArray(subscriptions.exposedInClear()))))
          .onFailure(ctx::fail);
    });
  }

  /** Fetches the producer's metadata for every topic. Blocking: runs on the admin thread. */
  public void warmUp() {
    producer.warmUp(settings.topics().stream().map(org.bulletin.platform.config.TopicSettings::name).toList());
  }

  /**
   * Starts the threads; the delivery worker once the dispatcher's shards are deployed (call it on
   * the verticle's context: the shards become its children).
   */
  public void start() {
    credentials.start();
    subscriptionTailer.start();
    attemptTailer.start();
    fanOut.start();
    dispatcher.start().onComplete(ar -> {
      if (ar.failed()) {
        shardsProblem = "the delivery dispatcher could not start (" + ar.cause().getMessage()
            + "); nothing is delivered";
        LoggerFactory.getLogger(WebhookService.class).error("Deploying the dispatcher shards failed",
            ar.cause());
      } else if (!closed) {
        worker.start();
      }
    });
  }

  /** Keeps a webhook attempt in the log; any thread. */
  private void logAttempt(AttemptRecord a) {
    // Once every subscription is known, an unknown one was deleted: its attempts are not kept.
    if (WebhookPayloads.CHANNEL.equals(a.channel())
        && (!subscriptionTailerCaughtUp() || store.get(a.endpointId()).isPresent())) {
      attempts.add(Attempt.of(a));
    }
  }

  /** Writes the engine's attempt records; other channels take their own attempts from it once durable. */
  public AttemptWriter attemptWriter() {
    return attemptWriter;
  }

  private boolean subscriptionTailerCaughtUp() {
    return subscriptionTailer != null && subscriptionTailer.isCaughtUp();
  }

  /** The API's per-credential rate limiter (the portal takes from it per partner). */
  public org.bulletin.platform.auth.RateLimiter rateLimiter() {
    return credentials.limiter();
  }

  /** An auth handler of this service's credentials admitting only {@code allowed} kinds (others: 403). */
  public ApiAuthHandler authHandler(Set<Principal.Kind> allowed) {
    return credentials.handler(allowed);
  }

  /**
   * The delivery engine's channel registry: another channel (WebSub) registers its directory here
   * before {@link #start()}.
   */
  public EndpointDirectories directories() {
    return directories;
  }

  /** Writes tasks of any channel to the engine's tasks topic (durable once the future completes). */
  public DeliveryQueue deliveryQueue() {
    return queue;
  }

  /** Test events for the partner portal. */
  public TestEvents testEvents() {
    return testEvents;
  }

  public boolean isReady() {
    return subscriptionTailer.isCaughtUp() && credentials.isLoaded();
  }

  /** Why the webhook part is not ready, or null when it is. */
  public String problem() {
    String shards = shardsProblem;
    if (shards != null) {
      return shards;
    }
    if (!subscriptionTailer.isCaughtUp()) {
      return "the subscriptions are not loaded yet";
    }
    if (!credentials.isLoaded()) {
      return "the credentials (partners and keys) are not loaded yet";
    }
    if (audit.failing()) {
      return "audit records cannot be written to " + settings.audit().name() + " (" + audit.failures()
          + " lost so far; see the log); actions are not being audited";
    }
    int unreadable = subscriptions.unreadableCount();
    return unreadable == 0 ? null : unreadable + " subscription(s) have signing secrets sealed with a key"
        + " secrets.keys does not list; add that key";
  }

  /** Subscriptions as a principal may see and manage them (the API's and the portal's way in). */
  public SubscriptionAccess access() {
    return access;
  }

  /** Partners and keys: the store every instance keeps current, and the service that changes them. */
  public CredentialService credentials() {
    return credentialService;
  }

  /** Where admin and partner actions are recorded. */
  public KafkaAuditTrail audit() {
    return audit;
  }

  /** The consumer threads, for health and metrics. */
  public java.util.List<org.bulletin.platform.kafka.ConsumerThread> threads() {
    return java.util.List.of(subscriptionTailer, attemptTailer, worker, fanOut, credentials.thread());
  }

  @Override
  public void close() {
    closed = true;
    dispatcher.close();
    threads().forEach(org.bulletin.platform.kafka.ConsumerThread::requestStop); // all leave at once
    fanOut.close();
    worker.close();
    subscriptionTailer.close();
    attemptTailer.close();
    credentials.close();
    producer.close();
    dns.close();
    replays.close();
    auditReads.close();
  }
}
