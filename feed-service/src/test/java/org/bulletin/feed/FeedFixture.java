package org.bulletin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.bulletin.platform.config.Config;
import org.bulletin.producer.ProducerSettings;
import org.bulletin.producer.ProducerVerticle;

/** A producer and feed services on port 0, on topics of their own, for integration tests. */
public final class FeedFixture implements AutoCloseable {
  static final String TOKEN = "it-token";
  /** The key sealing signing secrets in tests (id k1). */
  public static final String SECRETS_KEY = "k1:zGuKOYE2eX0ttiv18NM8vT0OtLlS4Krt5q8zg0f0N7o=";
  static final Path SAMPLES = Path.of(System.getProperty("bulletin.repo.root", "..")).resolve("samples");

  final Vertx vertx = Vertx.vertx();
  final WebClient client = WebClient.create(vertx);
  public final Config config;
  final int producerPort;

  public FeedFixture(String bootstrap, Map<String, String> extra) {
    String suffix = UUID.randomUUID().toString();
    Map<String, String> overrides = new HashMap<>();
    overrides.put("kafka.bootstrap.servers", bootstrap);
    overrides.put("topics.reports", "it-reports-" + suffix);
    overrides.put("topics.reports.dlq", "it-dlq-" + suffix);
    overrides.put("topics.subscriptions", "it-subs-" + suffix);
    overrides.put("topics.deliveries", "it-tasks-" + suffix);
    overrides.put("topics.deliveries.retry.prefix", "it-retry-" + suffix);
    overrides.put("topics.deliveries.dlq", "it-tasks-dlq-" + suffix);
    overrides.put("topics.delivery.attempts", "it-attempts-" + suffix);
    overrides.put("webhook.group.prefix", "it-webhook-" + suffix);
    overrides.put("api.tokens", TOKEN);
    overrides.put("topics.credentials", "it-credentials-" + suffix);
    overrides.put("topics.audit", "it-audit-" + suffix);
    overrides.put("topics.websub.subscriptions", "it-websub-" + suffix);
    overrides.put("topics.websub.distribution", "it-websub-dist-" + suffix);
    overrides.put("secrets.keys", SECRETS_KEY);
    // Tests publish and poll as fast as they can; PartnersIT sets a limit where it tests one.
    overrides.put("api.rate.limit.per.second", "0");
    overrides.put("producer.http.host", "127.0.0.1");
    overrides.put("producer.http.port", "0");
    overrides.put("feed.http.host", "127.0.0.1");
    overrides.put("feed.http.port", "0");
    overrides.put("feed.management.port", "0");
    overrides.put("feed.base.url", "http://feeds.test");
    overrides.putAll(extra);
    config = Config.of(overrides);
    ProducerVerticle producer = new ProducerVerticle(ProducerSettings.from(config));
    vertx.deployVerticle(producer).await();
    producerPort = producer.actualPort();
  }

  /** Deploys a feed service and waits until it is ready. */
  public Feed startFeed() {
    return startFeed(Map.of());
  }

  /** Deploys a feed service with {@code overrides} on top of this fixture's configuration; waits until it is ready. */
  public Feed startFeed(Map<String, String> overrides) {
    Config c = config.with(overrides);
    FeedVerticle verticle = new FeedVerticle(FeedSettings.from(c), org.bulletin.feed.webhook.WebhookSettings.from(c));
    String id = vertx.deployVerticle(verticle).await();
    if (apiFeed == null) {
      apiFeed = new Feed(id, verticle);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!verticle.isReady()) {
      assertThat(System.nanoTime()).as("feed service ready within 30 s").isLessThan(deadline);
      sleep(50);
    }
    return new Feed(id, verticle);
  }

  public final class Feed {
    final String deploymentId;
    final FeedVerticle verticle;

    Feed(String deploymentId, FeedVerticle verticle) {
      this.deploymentId = deploymentId;
      this.verticle = verticle;
    }

    /** Calls this instance's token-protected API. */
    public HttpResponse<Buffer> api(HttpMethod method, String path, io.vertx.core.json.JsonObject body) {
      var request = client.request(method, verticle.actualPort(), "127.0.0.1", path)
          .putHeader("Authorization", "Bearer " + TOKEN);
      return (body == null ? request.send() : request.sendJsonObject(body)).await();
    }

    public HttpResponse<Buffer> get(String path, String... headers) {
      return request(HttpMethod.GET, path, headers);
    }

    HttpResponse<Buffer> request(HttpMethod method, String path, String... headers) {
      var request = client.request(method, verticle.actualPort(), "127.0.0.1", path);
      for (int i = 0; i + 1 < headers.length; i += 2) {
        request.putHeader(headers[i], headers[i + 1]);
      }
      return request.send().await();
    }

    /** Polls {@code path} until {@code condition} holds on its body; returns that response. */
    HttpResponse<Buffer> await(String path, Predicate<String> condition) {
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (true) {
        HttpResponse<Buffer> response = get(path);
        if (response.statusCode() == 200 && condition.test(response.bodyAsString())) {
          return response;
        }
        assertThat(System.nanoTime()).as("condition on " + path + " within 15 s").isLessThan(deadline);
        sleep(50);
      }
    }

    public void stop() {
      vertx.undeploy(deploymentId).await();
    }

    /** The verticle of this instance. */
    public FeedVerticle verticle() {
      return verticle;
    }

    /** The HTTP port of this instance. */
    public int port() {
      return verticle.actualPort();
    }

    /** The management port, where {@code /metrics} is served. */
    public int managementPort() {
      return verticle.managementPort();
    }
  }

  /** A feed service in a JVM of its own, so that a test can kill it with SIGKILL. */
  public Process startFeedProcess() throws Exception {
    return startFeedProcess(Duration.ofSeconds(60));
  }

  /**
   * A feed service in a JVM of its own, started with {@code jvmOptions} (e.g. a small -Xmx); waits
   * until it is ready.
   */
  public Process startFeedProcess(Duration readyWithin, String... jvmOptions) throws Exception {
    int port;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(javaBin));
    command.addAll(java.util.List.of(jvmOptions));
    command.addAll(java.util.List.of("-cp", System.getProperty("java.class.path"), FeedMain.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(new java.io.File("target/feed-process.log")));
    builder.environment().keySet().removeIf(k -> k.startsWith("BULLETIN_"));
    config.asMap().forEach((k, v) -> builder.environment().put(Config.envName(k), v));
    builder.environment().put("BULLETIN_FEED_HTTP_PORT", String.valueOf(port));
    lastProcessPort = port;
    Process process = builder.start();
    children.add(process);
    long deadline = System.nanoTime() + readyWithin.toNanos();
    while (true) {
      assertThat(process.isAlive()).as("feed process runs (see target/feed-process.log)").isTrue();
      try {
        if (client.get(port, "127.0.0.1", "/health/ready").send().await().statusCode() == 200) {
          return process;
        }
      } catch (Exception notYet) {
        // not listening yet (await rethrows the connect failure as it is)
      }
      assertThat(System.nanoTime()).as("feed process ready within " + readyWithin).isLessThan(deadline);
      sleep(100);
    }
  }

  /** Calls the feed service's token-protected API (subscriptions) on any running instance. */
  public HttpResponse<Buffer> api(HttpMethod method, String path, io.vertx.core.json.JsonObject body) {
    var request = client.request(method, apiPort(), "127.0.0.1", path).putHeader("Authorization", "Bearer " + TOKEN);
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  /** A configuration value of this fixture, e.g. its topic names. */
  public String setting(String key) {
    return config.string(key);
  }

  /** The ingest API's port. */
  public int producerPort() {
    return producerPort;
  }

  public WebClient client() {
    return client;
  }

  public HttpResponse<Buffer> apiWithoutToken(HttpMethod method, String path) {
    return client.request(method, apiPort(), "127.0.0.1", path).send().await();
  }

  /** The port of the instance {@link #api} uses, started if none runs yet. */
  public int startFeedIfNone() {
    return apiPort();
  }

  private int apiPort() {
    if (apiFeed == null) {
      apiFeed = startFeed();
    }
    return apiFeed.verticle.actualPort();
  }

  private Feed apiFeed;
  /** The HTTP port of the feed process started last. */
  int lastProcessPort;
  private final java.util.List<Process> children = new java.util.concurrent.CopyOnWriteArrayList<>();

  public String sample(String file) {
    try {
      return Files.readString(SAMPLES.resolve(file));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Publishes a minimal JSON report with this id; returns the id. */
  public String publishJson(String id) {
    ingest(HttpMethod.POST, "/v1/reports", "application/json", new io.vertx.core.json.JsonObject().put("id", id)
        .put("title", "Report " + id).put("publishedDate", "2024-05-01")
        .put("body", new io.vertx.core.json.JsonArray().add("Body of " + id)).encode());
    return id;
  }

  /**
   * Publishes a report carrying this district and these tags and waits until the API's instance
   * has read it: subscription filters are checked against the districts and tags seen.
   */
  public void seedFilterValues(String district, String... tags) {
    String id = "seed-" + UUID.randomUUID();
    ingest(HttpMethod.POST, "/v1/reports", "application/json", new io.vertx.core.json.JsonObject().put("id", id)
        .put("title", "Seed " + id).put("publishedDate", "2020-01-01").put("district", district)
        .put("tags", new io.vertx.core.json.JsonArray(java.util.List.of(tags)))
        .put("body", new io.vertx.core.json.JsonArray().add("Seed.")).encode());
    apiPort();
    String path = district != null
        ? "/feeds/districts/" + district.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + ".json"
        : "/feeds/tags/" + tags[0] + ".json";
    apiFeed.await(path, body -> body.contains(id));
  }

  public HttpResponse<Buffer> ingest(HttpMethod method, String path, String contentType, String body) {
    return ingest(202, method, path, contentType, body);
  }

  /** Calls the ingest API and checks the status it answers. */
  public HttpResponse<Buffer> ingest(int expectedStatus, HttpMethod method, String path, String contentType,
      String body) {
    var request = client.request(method, producerPort, "127.0.0.1", path)
        .putHeader("Authorization", "Bearer " + TOKEN);
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    HttpResponse<Buffer> response = (body == null ? request.send() : request.sendBuffer(Buffer.buffer(body))).await();
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(expectedStatus);
    return response;
  }

  public String publishSample(String file) {
    try {
      return ingest(HttpMethod.POST, "/v1/reports", "text/plain", Files.readString(SAMPLES.resolve(file)))
          .bodyAsJsonObject().getString("id");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The configuration every service of this fixture runs with (topic names and so on). */
  public Config config() {
    return config;
  }

  /** Stops every feed service this fixture started, child JVMs included (even if a test failed). */
  @Override
  public void close() {
    children.forEach(Process::destroyForcibly);
    vertx.close().await();
  }
}
