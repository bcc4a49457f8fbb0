package org.bulletin.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MethodNotAllowedTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private HttpResponse<Buffer> call(HttpMethod method, String path) {
    Router router = Router.router(vertx);
    router.post("/v1/reports").handler(ctx -> ctx.end("ok"));
    router.put("/v1/reports/:id").handler(ctx -> ctx.end("ok"));
    router.delete("/v1/reports/:id").handler(ctx -> ctx.end("ok"));
    router.route("/feeds/*").method(HttpMethod.GET).method(HttpMethod.OPTIONS).handler(ctx -> ctx.end("ok"));
    ProblemFailureHandler.install(router);
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    return WebClient.create(vertx).request(method, server.actualPort(), "127.0.0.1", path).send().await();
  }

  @Test
  void a405NamesTheAllowedMethodsInTheAllowHeader() {
    HttpResponse<Buffer> response = call(HttpMethod.DELETE, "/v1/reports");
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.getHeader("Allow")).isEqualTo("POST");
    assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo("method-not-allowed");
    assertThat(response.bodyAsJsonObject().getString("detail")).contains("allowed: POST");
  }

  @Test
  void pathParametersAndWildcardRoutesAreMatched() {
    HttpResponse<Buffer> report = call(HttpMethod.POST, "/v1/reports/2024-03-05-abc");
    assertThat(report.statusCode()).isEqualTo(405);
    assertThat(report.getHeader("Allow")).isEqualTo("DELETE, PUT");
    HttpResponse<Buffer> feed = call(HttpMethod.PUT, "/feeds/reports.atom");
    assertThat(feed.statusCode()).isEqualTo(405);
    assertThat(feed.getHeader("Allow")).isEqualTo("GET, HEAD, OPTIONS");
  }
}
