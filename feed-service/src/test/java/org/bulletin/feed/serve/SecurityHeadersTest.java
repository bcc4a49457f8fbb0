package org.bulletin.feed.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.bulletin.feed.render.PageRenderer;
import org.bulletin.platform.http.ProblemFailureHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SecurityHeadersTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void everyResponseForbidsSniffingAndCarriesThePolicyAndReferrerPolicy() {
    Router router = Router.router(vertx);
    router.get("/page").handler(ctx -> ctx.response().putHeader("Content-Type", "text/html").end("<p>x</p>"));
    router.get("/boom").handler(ctx -> {
      throw new IllegalStateException("internal detail");
    });
    SecurityHeaders.install(router); // after the routes: it must still run first
    ProblemFailureHandler.install(router);
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    WebClient client = WebClient.create(vertx);

    for (String path : new String[] {"/page", "/missing", "/boom"}) {
      HttpResponse<Buffer> response = client.get(server.actualPort(), "127.0.0.1", path).send().await();
      assertThat(response.getHeader("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
      assertThat(response.getHeader("Content-Security-Policy")).as(path)
          .isEqualTo(PageRenderer.CONTENT_SECURITY_POLICY);
      assertThat(response.getHeader("Referrer-Policy")).as(path).isEqualTo("strict-origin-when-cross-origin");
    }
  }
}
