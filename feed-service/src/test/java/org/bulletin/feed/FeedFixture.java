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
final class FeedFixture implements AutoCloseable {
  static final String TOKEN = "it-token";
  static final Path SAMPLES = Path.of(System.getProperty("bulletin.repo.root", "..")).resolve("samples");

  final Vertx vertx = Vertx.vertx();
  final WebClient client = WebClient.create(vertx);
  final Config config;
  final int producerPort;

  FeedFixture(String bootstrap, Map<String, String> extra) {
    String suffix = UUID.randomUUID().toString();
    Map<String, String> overrides = new HashMap<>(Map.of(
        "kafka.bootstrap.servers", bootstrap,
        "topics.reports", "it-reports-" + suffix,
        "topics.reports.dlq", "it-dlq-" + suffix,
        "api.tokens", TOKEN,
        "producer.http.host", "127.0.0.1",
        "producer.http.port", "0",
        "feed.http.host", "127.0.0.1",
        "feed.http.port", "0",
        "feed.management.port", "0",
        "feed.base.url", "http://feeds.test"));
    overrides.putAll(extra);
    config = Config.of(overrides);
    ProducerVerticle producer = new ProducerVerticle(ProducerSettings.from(config));
    vertx.deployVerticle(producer).await();
    producerPort = producer.actualPort();
  }

  /** Deploys a feed service and waits until it is ready. */
  Feed startFeed() {
    FeedVerticle verticle = new FeedVerticle(FeedSettings.from(config));
    String id = vertx.deployVerticle(verticle).await();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!verticle.isReady()) {
      assertThat(System.nanoTime()).as("feed service ready within 30 s").isLessThan(deadline);
      sleep(50);
    }
    return new Feed(id, verticle);
  }

  final class Feed {
    final String deploymentId;
    final FeedVerticle verticle;

    Feed(String deploymentId, FeedVerticle verticle) {
      this.deploymentId = deploymentId;
      this.verticle = verticle;
    }

    HttpResponse<Buffer> get(String path, String... headers) {
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

    void stop() {
      vertx.undeploy(deploymentId).await();
    }
  }

  HttpResponse<Buffer> ingest(HttpMethod method, String path, String contentType, String body) {
    var request = client.request(method, producerPort, "127.0.0.1", path)
        .putHeader("Authorization", "Bearer " + TOKEN);
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    HttpResponse<Buffer> response = (body == null ? request.send() : request.sendBuffer(Buffer.buffer(body))).await();
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
    return response;
  }

  String publishSample(String file) {
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

  @Override
  public void close() {
    vertx.close().await();
  }
}
