package org.bulletin.launcher.listen;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bulletin.feed.FeedSettings;
import org.bulletin.feed.FeedVerticle;
import org.bulletin.feed.webhook.WebhookSettings;
import org.bulletin.platform.config.Config;
import org.bulletin.producer.ProducerSettings;
import org.bulletin.producer.ProducerVerticle;
import org.bulletin.testkit.KafkaBroker;
import org.bulletin.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The receiver a partner developer runs, subscribed through a real feed service: the delivery of
 * a published report is verified and printed. Everything in this JVM, on port 0 and topics of its
 * own; the loopback settings are the ones {@code ./bulletin up} uses in development.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ListenDeliveryIT {
  private static final String TOKEN = "listen-it-token";
  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx);

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private static Config config(String bootstrap) {
    String suffix = UUID.randomUUID().toString();
    Map<String, String> o = new HashMap<>();
    o.put("kafka.bootstrap.servers", bootstrap);
    for (String topic : List.of("topics.reports", "topics.reports.dlq", "topics.subscriptions", "topics.deliveries",
        "topics.deliveries.retry.prefix", "topics.deliveries.dlq", "topics.delivery.attempts", "topics.credentials",
        "topics.audit")) {
      o.put(topic, "it-listen-" + topic.substring("topics.".length()).replace('.', '-') + "-" + suffix);
    }
    o.put("webhook.group.prefix", "it-listen-" + suffix);
    o.put("api.tokens", TOKEN);
    o.put("secrets.keys", "k1:" + java.util.Base64.getEncoder().encodeToString(new byte[32]));
    o.put("producer.http.host", "127.0.0.1");
    o.put("producer.http.port", "0");
    o.put("feed.http.host", "127.0.0.1");
    o.put("feed.http.port", "0");
    o.put("feed.http.instances", "1");
    o.put("feed.management.port", "0");
    o.put("webhook.allow.http", "true");
    o.put("webhook.allowlist", "127.0.0.1/32,::1/128");
    return Config.of(o);
  }

  @Test
  void aSubscribedListenerVerifiesAndPrintsAPublishedReport(KafkaBroker broker) throws Exception {
    Config config = config(broker.bootstrapServers());
    ProducerVerticle producer = new ProducerVerticle(ProducerSettings.from(config));
    vertx.deployVerticle(producer).await();
    FeedVerticle feed = new FeedVerticle(FeedSettings.from(config), WebhookSettings.from(config));
    vertx.deployVerticle(feed).await();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!feed.isReady()) {
      assertThat(System.nanoTime()).as("feed service ready").isLessThan(deadline);
      Thread.sleep(100);
    }

    // Subscribe first (the secret comes from the answer), then start the receiver on the port reserved for it.
    int port;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    HttpResponse<Buffer> subscribed = client.post(feed.actualPort(), "127.0.0.1", "/v1/subscriptions")
        .bearerTokenAuthentication(TOKEN)
        .sendJsonObject(new JsonObject().put("url", "http://127.0.0.1:" + port + "/hooks").put("description", "it"))
        .await();
    assertThat(subscribed.statusCode()).as(subscribed.bodyAsString()).isEqualTo(201);
    String secret = subscribed.bodyAsJsonObject().getString("secret");
    List<String> lines = new CopyOnWriteArrayList<>();
    new WebhookListener(new SignatureVerifier(secret, Duration.ofMinutes(5), Clock.systemUTC()), "/hooks", 1_048_576,
        lines::add, Clock.systemUTC()).listen(vertx, "127.0.0.1", port).await();

    HttpResponse<Buffer> published = client.post(producer.actualPort(), "127.0.0.1", "/v1/reports")
        .bearerTokenAuthentication(TOKEN)
        .sendJsonObject(new JsonObject().put("title", "Erqi District meets on flood prevention")
            .put("publishedDate", "2024-03-05").put("district", "Erqi District")
            .put("body", new io.vertx.core.json.JsonArray().add("The meeting analysed flood risks.")))
        .await();
    assertThat(published.statusCode()).as(published.bodyAsString()).isEqualTo(202);
    String reportId = published.bodyAsJsonObject().getString("id");

    deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (lines.isEmpty()) {
      assertThat(System.nanoTime()).as("a delivery within 60 s").isLessThan(deadline);
      Thread.sleep(100);
    }
    assertThat(lines.get(0)).contains("verified").contains("report.published").contains("msg_").contains(reportId)
        .contains("\"Erqi District meets on flood prevention\"");
  }
}
