package org.bulletin.producer;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.bulletin.platform.kafka.ConsumerThread;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bulletin.platform.exec.BoundedExecutor;
import org.bulletin.platform.exec.ShutdownThread;
import org.bulletin.platform.auth.ApiAuthHandler;
import org.bulletin.platform.auth.Credentials;
import org.bulletin.platform.auth.Principal;
import org.bulletin.platform.http.OpenApiHandler;
import org.bulletin.platform.http.ProblemFailureHandler;
import org.bulletin.platform.kafka.KafkaProbe;
import org.bulletin.platform.kafka.TopicAdmin;
import org.bulletin.producer.http.ReportsHandler;
import org.bulletin.producer.index.AdminEndOffsets;
import org.bulletin.producer.index.PartitionReadBarrier;
import org.bulletin.producer.index.ReportIndex;
import org.bulletin.producer.index.ReportIndexReader;
import org.bulletin.producer.ingest.ReportIngest;
import org.bulletin.producer.ingest.ReportReader;
import org.bulletin.producer.kafka.EventPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest API. Starts serving at once; creates the topics in the background (retrying while
 * Kafka is unreachable) and reports ready once they exist.
 */
public final class ProducerVerticle extends VerticleBase {
  /** The ingest API's OpenAPI document on the classpath. */
  public static final String OPENAPI = "/openapi/bulletin-ingest.yaml";
  private static final Logger LOG = LoggerFactory.getLogger(ProducerVerticle.class);

  private final ProducerSettings settings;
  private final AtomicBoolean topicsReady = new AtomicBoolean();
  private BoundedExecutor sendExecutor;
  private BoundedExecutor adminExecutor;
  private BoundedExecutor barrierExecutor;
  private AdminEndOffsets endOffsets;
  private EventPublisher publisher;
  private ReportIndexReader indexReader;
  private Credentials credentials;
  private HttpServer server;
  private KafkaProbe probe;

  public ProducerVerticle(ProducerSettings settings) {
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    sendExecutor = new BoundedExecutor("bulletin-kafka-send", settings.sendThreads(), settings.sendQueue());
    adminExecutor = new BoundedExecutor("bulletin-producer-admin", 1, 4);
    publisher = new EventPublisher(settings.kafka(), settings.sendTimeoutMs(), sendExecutor);
    ReportIndex index = new ReportIndex();
    indexReader = new ReportIndexReader(settings.kafka(), index);
    indexReader.start();
    // A frozen broker leaves the index "caught up": only asking the cluster shows it is gone.
    probe = new KafkaProbe(settings.kafka(), Duration.ofSeconds(2));
    probe.start();
    credentials = new Credentials(settings.kafka(), settings.auth());
    ReportIngest ingest = new ReportIngest(vertx, publisher, settings.kafka().reports().name(),
        settings.eventSource(), Clock.systemUTC(), index, indexReader::isCaughtUp, settings.sendTimeoutMs(),
        readBarrier());
    ReportsHandler reports = new ReportsHandler(new ReportReader(), ingest, settings.feedBaseUrl());

    Router router = Router.router(vertx);
    // The report index decides 404 and "unchanged": a dead or stuck reader must not go unnoticed.
    router.get("/health/live").handler(ctx -> {
      ConsumerThread.Health h = indexReader.health();
      ConsumerThread.Health c = credentials.thread().health();
      boolean live = !h.dead() && !c.dead();
      ctx.response().setStatusCode(live ? 200 : 503).putHeader("Cache-Control", "no-store");
      ctx.json(new JsonObject().put("status", live ? "UP" : "DOWN").put("reportIndexReader", thread(h))
          .put("credentialsReader", thread(c)));
    });
    router.get("/health/ready").handler(ctx -> {
      ConsumerThread.Health h = indexReader.health();
      boolean topics = topicsReady.get();
      boolean indexed = indexReader.isCaughtUp();
      ConsumerThread.Health c = credentials.thread().health();
      boolean creds = credentials.isLoaded();
      KafkaProbe.Status k = probe.status();
      boolean ready = topics && indexed && h.ok() && creds && c.ok() && k.reachable();
      JsonObject kafka = new JsonObject().put("status", k.reachable() ? "UP" : "DOWN");
      if (!k.reachable()) {
        kafka.put("reason", k.reason()).put("since", k.since().toString());
      }
      ctx.response().setStatusCode(ready ? 200 : 503).putHeader("Cache-Control", "no-store");
      ctx.json(new JsonObject().put("status", ready ? "UP" : "DOWN").put("kafka", kafka).put("topics", topics)
          .put("reportIndex", indexed).put("reportIndexReader", thread(h)).put("credentials", creds)
          .put("credentialsReader", thread(c)));
    });
    router.get("/openapi.yaml").handler(new OpenApiHandler(OPENAPI));
    // Admins and publisher keys publish; a partner key is refused (403).
    ApiAuthHandler auth = credentials.handler(java.util.Set.of(Principal.Kind.ADMIN, Principal.Kind.PUBLISHER));
    BodyHandler body = BodyHandler.create(false).setBodyLimit(settings.bodyLimitBytes());
    router.post("/v1/reports").handler(auth).handler(body).handler(reports::publish);
    router.put("/v1/reports/:id").handler(auth).handler(body).handler(reports::correct);
    router.delete("/v1/reports/:id").handler(auth).handler(body).handler(reports::retract);
    router.route().failureHandler(new org.bulletin.platform.http.BodyTooLarge(settings.bodyLimitBytes(),
        "BULLETIN_PRODUCER_BODY_LIMIT_BYTES"));
    ProblemFailureHandler.install(router);

    ensureTopics();
    return vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setCompressionSupported(true))
        .requestHandler(router)
        .listen(settings.port(), settings.host())
        .onSuccess(s -> {
          server = s;
          LOG.info("Ingest API listening on {}:{} ({})", settings.host(), s.actualPort(), settings);
        });
  }

  /** Before a PUT/DELETE answers 404, the index reads what other instances wrote up to now. */
  private PartitionReadBarrier readBarrier() {
    barrierExecutor = new BoundedExecutor("bulletin-index-barrier", 2, settings.indexBarrierQueue());
    endOffsets = new AdminEndOffsets(settings.kafka(), settings.indexBarrierTimeoutMs());
    return new PartitionReadBarrier(vertx, endOffsets, indexReader::position, barrierExecutor,
        settings.indexBarrierTimeoutMs());
  }

  /** The port actually bound (useful with port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private void ensureTopics() {
    adminExecutor.submit(context, () -> {
      TopicAdmin.ensureTopics(settings.kafka(), List.of(settings.kafka().reports(), settings.auth().credentials()),
          10_000);
      return null;
    }).onSuccess(v -> {
      credentials.start();
      topicsReady.set(true);
    }).onFailure(e -> {
      LOG.warn("Topics not ready yet ({}); retrying in 5 s", e.getMessage());
      vertx.setTimer(5000, t -> ensureTopics());
    });
  }

  @Override
  public Future<?> stop() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(() -> ShutdownThread.run("bulletin-producer-shutdown", () -> {
      probe.close();
      indexReader.close();
      credentials.close();
      publisher.close();
      sendExecutor.close();
      adminExecutor.shutdownNow();
      barrierExecutor.shutdownNow();
      endOffsets.close();
    }));
  }


  private static JsonObject thread(ConsumerThread.Health h) {
    JsonObject json = new JsonObject().put("state", h.state().name()).put("restarts", h.restarts());
    return h.reason() == null || h.ok() ? json : json.put("reason", h.reason());
  }
}
