package org.bulletin.feed;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;
import org.bulletin.feed.consume.DeadLetterPublisher;
import org.bulletin.feed.consume.ReportStreamConsumer;
import org.bulletin.feed.metrics.FeedMetrics;
import org.bulletin.feed.serve.CachedResponder;
import org.bulletin.feed.serve.DocumentCache;
import org.bulletin.feed.serve.DocumentLookup;
import org.bulletin.feed.serve.DocumentStore;
import org.bulletin.feed.serve.FeedHandler;
import org.bulletin.feed.serve.PageHandler;
import org.bulletin.platform.exec.BoundedExecutor;
import org.bulletin.platform.http.ProblemFailureHandler;
import org.bulletin.platform.kafka.TopicAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feed service: consumes the reports topic into the view, serves feeds and pages on the
 * public port and Prometheus metrics on the management port.
 */
public final class FeedVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(FeedVerticle.class);

  private final FeedSettings settings;
  private final FeedMetrics metrics = new FeedMetrics();
  private BoundedExecutor viewExecutor;
  private BoundedExecutor adminExecutor;
  private DeadLetterPublisher deadLetters;
  private ReportStreamConsumer consumer;
  private HttpServer server;
  private HttpServer management;

  public FeedVerticle(FeedSettings settings) {
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    // One thread owns the view; archive and page renders queue behind batches, bounded.
    viewExecutor = new BoundedExecutor("bulletin-feed-view", 1, settings.renderQueue());
    adminExecutor = new BoundedExecutor("bulletin-feed-admin", 1, 4);
    DocumentCache cache = new DocumentCache(settings.pageCacheEntries());
    DocumentStore store = new DocumentStore(settings, cache, metrics);
    deadLetters = new DeadLetterPublisher(settings.kafka());
    consumer = new ReportStreamConsumer(settings.kafka(), context, viewExecutor, store, deadLetters, metrics);
    DocumentLookup lookup = new DocumentLookup(cache, store, viewExecutor,
        new CachedResponder(metrics, settings.maxAgeSeconds()), metrics, () -> consumer.isReady());

    Router router = Router.router(vertx);
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(ctx -> {
      boolean ready = consumer.isReady();
      ctx.response().setStatusCode(ready ? 200 : 503);
      ctx.json(new JsonObject().put("status", ready ? "UP" : "DOWN").put("reports", store.reportCount()));
    });
    FeedHandler feeds = new FeedHandler(lookup);
    PageHandler pages = new PageHandler(lookup);
    router.route("/feeds/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(feeds);
    router.route("/reports/:id").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(pages);
    router.route("/").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(pages);
    ProblemFailureHandler.install(router);

    Router managementRouter = Router.router(vertx);
    managementRouter.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape()));
    ProblemFailureHandler.install(managementRouter);

    // Topics first (in the background), then the consumer; serving starts at once (not ready yet).
    adminExecutor.submit(context, () -> {
      TopicAdmin.ensureTopics(settings.kafka(), List.of(settings.kafka().reports(), settings.kafka().deadLetter()),
          30_000);
      return null;
    }).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("Could not create topics ({}); the consumer waits for them", ar.cause().getMessage());
      }
      consumer.start();
    });

    return vertx.createHttpServer().requestHandler(router).listen(settings.port(), settings.host())
        .compose(s -> {
          server = s;
          return vertx.createHttpServer().requestHandler(managementRouter).listen(settings.managementPort(),
              settings.host());
        })
        .onSuccess(m -> {
          management = m;
          LOG.info("Feeds on {}:{}, metrics on {}:{}/metrics", settings.host(), server.actualPort(), settings.host(),
              m.actualPort());
        });
  }

  public int actualPort() {
    return server.actualPort();
  }

  public int managementPort() {
    return management.actualPort();
  }

  public boolean isReady() {
    return consumer.isReady();
  }

  @Override
  public Future<?> stop() {
    Future<Void> a = server == null ? Future.succeededFuture() : server.close();
    Future<Void> b = management == null ? Future.succeededFuture() : management.close();
    return Future.join(a, b).eventually(() -> adminExecutor.submit(context, () -> {
      consumer.close();
      deadLetters.close();
      viewExecutor.close();
      return null;
    })).eventually(() -> {
      adminExecutor.close();
      return Future.succeededFuture();
    });
  }
}
