package org.bulletin.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BearerAuthHandlerTest {
  private Vertx vertx;
  private HttpServer server;
  private WebClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.route("/secure").handler(new BearerAuthHandler(List.of("alpha", "beta-token"))).handler(ctx -> ctx.end("in"));
    router.route("/boom").handler(ctx -> {
      throw new IllegalStateException("database password is hunter2");
    });
    ProblemFailureHandler.install(router);
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private HttpResponse<Buffer> get(String path, String auth) {
    var request = client.get(server.actualPort(), "127.0.0.1", path);
    if (auth != null) {
      request.putHeader("Authorization", auth);
    }
    return request.send().await();
  }

  @Test
  void acceptsEveryConfiguredToken() {
    assertThat(get("/secure", "Bearer alpha").bodyAsString()).isEqualTo("in");
    assertThat(get("/secure", "bearer beta-token").statusCode()).isEqualTo(200);
  }

  @Test
  void rejectsMissingOrWrongTokenWithProblem() {
    for (String auth : new String[] {null, "Bearer alph", "Basic YWxwaGE=", "Bearer "}) {
      HttpResponse<Buffer> response = get("/secure", auth);
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
      assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo("unauthorized");
    }
  }

  @Test
  void serverErrorsDoNotLeakInternals() {
    HttpResponse<Buffer> response = get("/boom", null);
    assertThat(response.statusCode()).isEqualTo(500);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("code")).isEqualTo("internal-error");
    assertThat(body.encode()).doesNotContain("hunter2").doesNotContain("IllegalStateException");
  }

  @Test
  void unknownPathIsProblem404() {
    HttpResponse<Buffer> response = get("/nothing", null);
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo("not-found");
  }
}
