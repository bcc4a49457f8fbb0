package org.bulletin.producer.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bulletin.platform.http.ProblemFailureHandler;
import org.bulletin.producer.index.IndexBehindException;
import org.bulletin.producer.index.ReadBarrier;
import org.bulletin.producer.index.ReportIndex;
import org.bulletin.producer.ingest.ReportIngest;
import org.bulletin.producer.ingest.ReportReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A PUT or DELETE of a report the index does not hold, when the index cannot catch up in time. */
class IndexBehindTest {
  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx);
  private final AtomicInteger barrierCalls = new AtomicInteger();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private int serve(ReadBarrier barrier) {
    // No publisher: nothing may be written when the answer is not known.
    ReportIngest ingest = new ReportIngest(vertx, null, "reports", "/test", Clock.systemUTC(), new ReportIndex(),
        () -> true, 1000, id -> {
          barrierCalls.incrementAndGet();
          return barrier.await(id);
        });
    ReportsHandler reports = new ReportsHandler(new ReportReader(), ingest, "http://feeds.test");
    Router router = Router.router(vertx);
    router.put("/v1/reports/:id").handler(BodyHandler.create()).handler(reports::correct);
    router.delete("/v1/reports/:id").handler(BodyHandler.create()).handler(reports::retract);
    ProblemFailureHandler.install(router);
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    return server.actualPort();
  }

  private List<HttpResponse<Buffer>> putAndDelete(int port) {
    return List.of(
        client.request(HttpMethod.PUT, port, "127.0.0.1", "/v1/reports/erqi-flood")
            .putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer("{\"id\":\"erqi-flood\",\"title\":\"T\",\"publishedDate\":\"2024-03-05\",\"body\":[\"B\"]}"))
            .await(),
        client.request(HttpMethod.DELETE, port, "127.0.0.1", "/v1/reports/erqi-flood").send().await());
  }

  @Test
  void anIndexThatDoesNotCatchUpInTimeAnswers503WithRetryAfterNever404() {
    int port = serve(id -> Future.failedFuture(new IndexBehindException("partition 0 not read up to offset 7")));

    for (HttpResponse<Buffer> r : putAndDelete(port)) {
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(503);
      assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(r.getHeader("Retry-After")).isNotBlank();
      assertThat(r.bodyAsJsonObject().getString("code")).isEqualTo("index-behind");
      assertThat(r.bodyAsString()).as("no internals").doesNotContain("partition 0");
    }
    assertThat(barrierCalls).hasValue(2);
  }

  @Test
  void aReportStillUnknownAfterTheBarrierIs404() {
    int port = serve(ReadBarrier.NONE);

    for (HttpResponse<Buffer> r : putAndDelete(port)) {
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(404);
      assertThat(r.bodyAsJsonObject().getString("code")).isEqualTo("unknown-report");
    }
    assertThat(barrierCalls).as("the miss was confirmed by the barrier").hasValue(2);
  }
}
