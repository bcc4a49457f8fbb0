package org.bulletin.launcher.listen;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bulletin.feed.delivery.StandardWebhooksSigner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookListenerTest {
  private static final String BODY = "{\"type\":\"report.published\",\"timestamp\":\"2024-03-05T00:00:00Z\","
      + "\"data\":{\"id\":\"2024-03-05-erqi\",\"title\":\"Erqi District meets\\u001b[2J on floods\"}}";

  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx);
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final String secret = StandardWebhooksSigner.newSecret();
  private HttpServer server;

  @BeforeEach
  void start() {
    SignatureVerifier verifier = new SignatureVerifier(secret, Duration.ofMinutes(5), Clock.systemUTC());
    server = new WebhookListener(verifier, "/hooks", 4096, lines::add, Clock.systemUTC())
        .listen(vertx, "127.0.0.1", 0).await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private HttpResponse<Buffer> post(String path, String signingSecret, String body) {
    long now = System.currentTimeMillis() / 1000;
    return client.post(server.actualPort(), "127.0.0.1", path)
        .putHeader("webhook-id", "msg_1").putHeader("webhook-timestamp", String.valueOf(now))
        .putHeader("webhook-signature", StandardWebhooksSigner.signature(List.of(signingSecret), "msg_1", now, body))
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)).await();
  }

  @Test
  void answers204AndPrintsTypeIdAndTitleOfAVerifiedDelivery() {
    assertThat(post("/hooks", secret, BODY).statusCode()).isEqualTo(204);
    assertThat(lines).singleElement().asString().contains("verified").contains("report.published").contains("msg_1")
        .contains("2024-03-05-erqi").contains("\"Erqi District meets [2J on floods\"").doesNotContain("\u001b");
  }

  @Test
  void answers401AndPrintsRejectedWithTheReasonForAWrongSignature() {
    HttpResponse<Buffer> response = post("/hooks", StandardWebhooksSigner.newSecret(), BODY);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.bodyAsString()).contains("no signature matches");
    assertThat(lines).singleElement().asString().contains("REJECTED").contains("report.published")
        .contains("no signature matches");
  }

  @Test
  void answers400WithoutSignatureHeaders() {
    HttpResponse<Buffer> response = client.post(server.actualPort(), "127.0.0.1", "/hooks")
        .sendBuffer(Buffer.buffer(BODY)).await();
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsString()).contains("webhook-id");
  }

  @Test
  void answers413BeyondTheBodyLimit() {
    String big = "{\"data\":\"" + "a".repeat(5000) + "\"}";
    assertThat(post("/hooks", secret, big).statusCode()).isEqualTo(413);
    assertThat(lines).singleElement().asString().contains("REJECTED").contains("4096 bytes");
  }

  @Test
  void answers404OnOtherPaths() {
    assertThat(post("/elsewhere", secret, BODY).statusCode()).isEqualTo(404);
    assertThat(lines).isEmpty();
  }
}
