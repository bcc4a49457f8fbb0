package org.bulletin.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BodyTooLargeTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private HttpResponse<Buffer> post(String envVar, String path, String body) {
    Router router = Router.router(vertx);
    router.route().failureHandler(new BodyTooLarge(10, envVar));
    router.post("/in").handler(BodyHandler.create(false).setBodyLimit(10)).handler(ctx -> ctx.end("ok"));
    router.post("/boom").handler(ctx -> ctx.fail(400));
    ProblemFailureHandler.install(router);
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    return WebClient.create(vertx).post(server.actualPort(), "127.0.0.1", path).sendBuffer(Buffer.buffer(body)).await();
  }

  @Test
  void statesTheLimitAndTheVariableThatSetsIt() {
    HttpResponse<Buffer> response = post("BULLETIN_X_LIMIT", "/in", "x".repeat(100));
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo("payload-too-large");
    assertThat(response.bodyAsJsonObject().getString("detail")).contains("10 bytes").contains("BULLETIN_X_LIMIT");
  }

  @Test
  void aFixedLimitIsStatedWithoutAVariableAndOtherFailuresPassOn() {
    assertThat(post(null, "/in", "x".repeat(100)).bodyAsJsonObject().getString("detail"))
        .isEqualTo("The request body exceeds the limit of 10 bytes.");
    HttpResponse<Buffer> other = post(null, "/boom", "x");
    assertThat(other.statusCode()).isEqualTo(400);
    assertThat(other.bodyAsJsonObject().getString("code")).isEqualTo("bad-request");
  }
}
