package org.bulletin.feed;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bulletin.feed.consume.DeadLetterPublisher;
import org.bulletin.feed.consume.ReportStreamConsumer;
import org.bulletin.feed.consume.ViewLag;
import org.bulletin.feed.health.ServiceHealth;
import org.bulletin.feed.metrics.FeedMetrics;
import org.bulletin.feed.serve.CachedResponder;
import org.bulletin.feed.serve.CorsHandler;
import org.bulletin.feed.serve.DocumentCache;
import org.bulletin.feed.serve.DocumentLookup;
import org.bulletin.feed.serve.DocumentStore;
import org.bulletin.feed.serve.FeedHandler;
import org.bulletin.feed.serve.HttpServerVerticle;
import org.bulletin.feed.serve.NotFound;
import org.bulletin.feed.serve.PageHandler;
import org.bulletin.feed.portal.PortalHandler;
import org.bulletin.feed.portal.PortalLinkHandler;
import org.bulletin.feed.portal.PortalSessions;
import org.bulletin.feed.portal.PortalSettings;
import org.bulletin.feed.portal.WebhookPortalBackend;
import org.bulletin.feed.webhook.WebhookService;
import org.bulletin.feed.webhook.WebhookSettings;
import org.bulletin.platform.config.TopicSettings;
import org.bulletin.platform.exec.BoundedExecutor;
import org.bulletin.feed.content.KafkaReportFetcher;
import org.bulletin.feed.content.ReadBack;
import org.bulletin.platform.exec.ShutdownThread;
import org.bulletin.platform.http.OpenApiHandler;
import org.bulletin.platform.http.ProblemFailureHandler;
import org.bulletin.platform.kafka.ConsumerThread;
import org.bulletin.platform.kafka.KafkaProbe;
import org.bulletin.platform.kafka.TopicAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feed service: consumes the reports topic into the view, serves feeds and pages on the
 * public port and Prometheus metrics on the management port.
 */
public final class FeedVerticle extends VerticleBase {
  /** The feed service's OpenAPI document (subscriptions API) on the classpath. */
  public static final String OPENAPI = "/openapi/bulletin-feed.yaml";
  private static final Logger LOG = LoggerFactory.getLogger(FeedVerticle.class);

  private final FeedSettings settings;
  private final WebhookSettings webhookSettings;
  private final FeedMetrics metrics = new FeedMetrics();
  private WebhookService webhooks;
  private org.bulletin.feed.websub.WebSubHub hub;
  private BoundedExecutor viewExecutor;
  private BoundedExecutor adminExecutor;
  private ReadBack readBack;
  private DeadLetterPublisher deadLetters;
  private ReportStreamConsumer consumer;
  private DocumentStore store;
  private KafkaProbe probe;
  private ServiceHealth health;
  private HttpServer server;
  private HttpServer management;

  public FeedVerticle(FeedSettings settings, WebhookSettings webhookSettings) {
    this.settings = settings;
    this.webhookSettings = webhookSettings;
  }

  @Override
  public Future<?> start() {
    // One thread owns the view; archive and page renders queue behind batches, bounded.
    viewExecutor = new BoundedExecutor("bulletin-feed-view", 1, settings.renderQueue());
    adminExecutor = new BoundedExecutor("bulletin-feed-admin", 1, 4);
    DocumentCache cache = new DocumentCache(settings.pageCacheBytes(), settings.pinnedBytes());
    readBack = new ReadBack("bulletin-feed-readback", settings.readBackThreads(), settings.readBackQueue(),
        () -> new KafkaReportFetcher(settings.kafka(), Duration.ofMillis(settings.readBackTimeoutMs())));
    // Current documents' content too is read on the read-back pool, never on the view thread.
    store = new DocumentStore(settings, cache, metrics,
        new org.bulletin.feed.serve.CurrentContentReader(context, readBack, viewExecutor, () -> store));
    deadLetters = new DeadLetterPublisher(settings.kafka());
    ViewLag viewLag = new ViewLag(settings.kafka().maxBehindSeconds());
    metrics.gauge("bulletin_feed_view_behind_seconds",
        "How long the caught-up view has been short of what the reports topic held (0: current)",
        viewLag::behindSeconds);
    consumer = new ReportStreamConsumer(settings.kafka(), context, viewExecutor, store, deadLetters, metrics, viewLag);
    NotFound notFound = new NotFound(store.notFoundPage());
    DocumentLookup lookup = new DocumentLookup(cache, store, viewExecutor, readBack,
        new CachedResponder(metrics, settings.maxAgeSeconds(), settings.settledArchiveMaxAgeSeconds()), metrics, this::isReady, notFound);

    Router router = Router.router(vertx);
    org.bulletin.feed.serve.SecurityHeaders.install(router);
    if (webhookSettings.enabled()) {
      if (webhookSettings.apiTokens().isEmpty()) {
        LOG.warn("Webhooks and the WebSub hub are off: api.tokens (BULLETIN_API_TOKENS) is empty, so their APIs could"
            + " not be protected");
      } else {
        webhooks = new WebhookService(vertx, context, settings.kafka(), webhookSettings, metrics, store.vocabulary(),
            () -> consumer.isReady());
        webhooks.mount(router);
        mountPortal(router);
        mountHub(router, lookup);
      }
    }
    router.get("/openapi.yaml").handler(new OpenApiHandler(OPENAPI));
    probe = new KafkaProbe(settings.kafka(), Duration.ofSeconds(2));
    List<ServiceHealth.Check> checks = new ArrayList<>();
    // Not caught up yet, or caught up once but unable to keep up since.
    checks.add(new ServiceHealth.Check("feeds", () -> !consumer.isReady()
        ? "the view has not caught up with " + settings.kafka().reports().name() + " yet"
        : !store.firstRenderDone() ? "the current documents wait for their reports to be read back from Kafka"
        : viewLag.problem()));
    if (webhooks != null) {
      checks.add(new ServiceHealth.Check("webhooks", webhooks::problem));
    }
    if (hub != null) {
      checks.add(new ServiceHealth.Check("websub", hub::problem));
    }
    Duration contentDownAfter = Duration.ofSeconds(settings.readBackDownAfterSeconds());
    checks.add(new ServiceHealth.Check("current-content", () -> store.contentProblem(contentDownAfter, Instant.now())));
    health = new ServiceHealth(this::threads, probe, checks);
    metrics.gauge("bulletin_kafka_reachable", "1 while Kafka answers this instance's probe",
        () -> probe.status().reachable() ? 1 : 0);
    for (ConsumerThread t : threads()) {
      t.stallAfter(Duration.ofSeconds(settings.kafka().stallAfterSeconds()));
      metrics.threadRestarts(t.name(), t::restarts);
      metrics.threadUp(t.name(), () -> t.health().ok() ? 1 : 0);
    }
    router.get("/health/live").handler(ctx -> respond(ctx, health.live(), null));
    router.get("/health/ready").handler(ctx -> {
      ServiceHealth.Report ready = health.ready();
      // Shown, not counted against readiness: every instance holds the same view, so a report that
      // cannot render would take every instance out of rotation at once.
      ready.json().getJsonObject("components").put("rendering", new JsonObject()
          .put("renderFailures", metrics.renderFailures()).put("failingDocuments", store.failingDocuments()));
      respond(ctx, ready, (long) store.reportCount());
    });
    FeedHandler feeds = new FeedHandler(lookup);
    PageHandler pages = new PageHandler(lookup);
    CorsHandler cors = new CorsHandler();
    router.route("/feeds/*").method(HttpMethod.GET).method(HttpMethod.HEAD).method(HttpMethod.OPTIONS).handler(cors);
    router.route(DocumentStore.OPML_PATH).method(HttpMethod.GET).method(HttpMethod.HEAD).method(HttpMethod.OPTIONS)
        .handler(cors);
    router.route("/feeds/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(feeds);
    router.route(DocumentStore.OPML_PATH).method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(ctx -> lookup.serve(ctx, DocumentStore.OPML_PATH, "opml"));
    router.route("/reports/:id").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(pages);
    router.route("/").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(pages);
    ProblemFailureHandler.install(router);
    router.errorHandler(404, notFound::send); // browsers get a page, API clients problem+json

    Router managementRouter = Router.router(vertx);
    managementRouter.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape()));
    ProblemFailureHandler.install(managementRouter);

    // Topics first (in the background), then the consumer; serving starts at once (not ready yet).
    List<TopicSettings> topics = new ArrayList<>(List.of(settings.kafka().reports(), settings.kafka().deadLetter()));
    if (webhooks != null) {
      topics.addAll(webhookSettings.topics());
    }
    if (hub != null) {
      topics.addAll(hub.topics());
    }
    adminExecutor.submit(context, () -> {
      TopicAdmin.ensureTopics(settings.kafka(), topics, 30_000);
      if (webhooks != null) {
        webhooks.warmUp();
      }
      if (hub != null) {
        hub.warmUp();
      }
      return null;
    }).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("Could not create topics ({}); the consumers wait for them", ar.cause().getMessage());
      }
      probe.start();
      consumer.start();
      if (webhooks != null) {
        webhooks.start();
      }
      if (hub != null) {
        hub.start();
      }
    });

    int port;
    try {
      port = concretePort(settings.port(), settings.host());
    } catch (java.io.IOException e) {
      return Future.failedFuture(e);
    }
    return vertx.createHttpServer().requestHandler(router).listen(port, settings.host())
        .compose(s -> {
          server = s;
          // More servers on the bound port, each on its own event loop (undeployed with this one).
          int extra = Math.max(0, settings.httpInstances() - 1);
          return extra == 0 ? Future.succeededFuture() : vertx.deployVerticle(
              () -> new HttpServerVerticle(router, settings.host(), s.actualPort()),
              new io.vertx.core.DeploymentOptions().setInstances(extra));
        })
        .compose(v -> vertx.createHttpServer().requestHandler(managementRouter).listen(settings.managementPort(),
            settings.host()))
        .onSuccess(m -> {
          management = m;
          LOG.info("Feeds on {}:{}, metrics on {}:{}/metrics", settings.host(), server.actualPort(), settings.host(),
              m.actualPort());
        });
  }

  /**
   * The WebSub hub ({@code POST /websub}, admins' listing); it needs the webhooks' URL guard
   * settings, secret keys and admin tokens. A topic is served while its feed exists in the view.
   */
  private void mountHub(Router router, DocumentLookup lookup) {
    if (!settings.websub().enabled()) {
      LOG.info("The WebSub hub is off (websub.enabled=false)");
      return;
    }
    hub = new org.bulletin.feed.websub.WebSubHub(vertx, context, settings.kafka(), settings.websub(), webhookSettings,
        settings.baseUrl(), store::feedPaths, metrics);
    hub.mount(router, webhooks.authHandler(java.util.Set.of(org.bulletin.platform.auth.Principal.Kind.ADMIN)));
    hub.deliverThrough(webhooks.directories(), webhooks.deliveryQueue(), webhooks.attemptWriter(),
        metrics, path -> lookup.find(context, path), store::firstRenderDone,
        path -> lookup.find(vertx.getOrCreateContext(), path));
    store.onDocumentsChanged(hub::changed); // view thread: the hub's distributor takes it from there
  }

  /** The partner portal and the admins' route that makes its links; both need the webhooks. */
  private void mountPortal(Router router) {
    PortalSettings portal = settings.portal();
    var admin = webhooks.authHandler(java.util.Set.of(org.bulletin.platform.auth.Principal.Kind.ADMIN));
    if (!portal.enabled()) {
      LOG.info("The partner portal is off: portal.secrets (BULLETIN_PORTAL_SECRETS) is empty");
      router.post("/v1/partners/:id/portal-link").handler(admin).handler(PortalLinkHandler::disabled);
      return;
    }
    java.time.Clock clock = java.time.Clock.systemUTC();
    PortalSessions sessions = new PortalSessions(portal, clock);
    WebhookPortalBackend backend = new WebhookPortalBackend(webhooks.access(), webhooks.credentials().store(),
        webhooks.testEvents(), webhooks.audit(), clock);
    PortalLinkHandler links = new PortalLinkHandler(sessions, backend::partner, webhooks.audit(), clock);
    router.post("/v1/partners/:id/portal-link").handler(admin).handler(links::handle);
    new PortalHandler(sessions, backend, portal, clock, webhooks.rateLimiter()).mount(router);
  }

  private List<ConsumerThread> threads() {
    List<ConsumerThread> out = new ArrayList<>();
    out.add(consumer);
    if (webhooks != null) {
      out.addAll(webhooks.threads());
    }
    if (hub != null) {
      out.addAll(hub.threads());
    }
    return out;
  }

  private static void respond(io.vertx.ext.web.RoutingContext ctx, ServiceHealth.Report report, Long reports) {
    JsonObject json = report.json();
    if (reports != null) {
      json.put("reports", reports);
    }
    ctx.response().setStatusCode(report.up() ? 200 : 503).putHeader("Cache-Control", "no-store");
    ctx.json(json);
  }

  /**
   * Vert.x shares a port between servers on different event loops only when all of them listen on
   * the same concrete port, so "any free port" (0) is chosen here, once.
   */
  private static int concretePort(int port, String host) throws java.io.IOException {
    if (port != 0) {
      return port;
    }
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
      return socket.getLocalPort();
    }
  }

  public int actualPort() {
    return server.actualPort();
  }

  /**
   * The webhook part (subscriptions as a principal may see them, partners and keys, audit), or
   * null when webhooks are off; available once the verticle started.
   */
  public WebhookService webhooks() {
    return webhooks;
  }

  /** The WebSub hub, or null when it is off; available once the verticle started. */
  public org.bulletin.feed.websub.WebSubHub hub() {
    return hub;
  }

  public int managementPort() {
    return management.actualPort();
  }

  /** The view thread's executor: tests hold it, as a slow render or batch would, to see health react. */
  BoundedExecutor viewExecutor() {
    return viewExecutor;
  }

  public boolean isReady() {
    return consumer.isReady() && store.firstRenderDone();
  }

  @Override
  public Future<?> stop() {
    Future<Void> a = server == null ? Future.succeededFuture() : server.close();
    Future<Void> b = management == null ? Future.succeededFuture() : management.close();
    return Future.join(a, b).eventually(() -> ShutdownThread.run("bulletin-feed-shutdown", () -> {
      consumer.requestStop();
      if (hub != null) {
        hub.close();
      }
      if (webhooks != null) {
        webhooks.close();
      }
      consumer.close();
      probe.close();
      deadLetters.close();
      viewExecutor.close();
      if (readBack != null) {
        readBack.close();
      }
      store.close(); // after the view thread: it owns the content reader
      adminExecutor.shutdownNow();
    }));
  }
}
