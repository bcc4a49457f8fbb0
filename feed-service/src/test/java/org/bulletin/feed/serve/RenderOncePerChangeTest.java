package org.bulletin.feed.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bulletin.feed.FeedSettings;
import org.bulletin.feed.content.Position;
import org.bulletin.feed.content.ReadBack;
import org.bulletin.feed.content.ReportFetcher;
import org.bulletin.feed.metrics.FeedMetrics;
import org.bulletin.feed.view.Change;
import org.bulletin.feed.view.EntryKey;
import org.bulletin.platform.config.Config;
import org.bulletin.platform.exec.BoundedExecutor;
import org.bulletin.schema.MeetingReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Current documents are rendered once per change and served from their bytes: requests over HTTP
 * never render them again, and a change renders exactly the documents it affects, once each.
 * Archive pages are rendered on their first request and then served from the cache.
 */
class RenderOncePerChangeTest {
  private final Map<Long, MeetingReport> topic = new HashMap<>();
  private final ReportFetcher fetcher = new ReportFetcher() {
    @Override
    public Map<Long, MeetingReport> fetch(long[] positions) {
      Map<Long, MeetingReport> out = new HashMap<>();
      for (long p : positions) {
        out.put(p, topic.get(p));
      }
      return out;
    }

    @Override
    public void close() {}
  };
  private final Vertx vertx = Vertx.vertx();
  private final BoundedExecutor view = new BoundedExecutor("test-view", 1, 16);
  private final ReadBack readBack = new ReadBack("test-readback", 1, 4, () -> fetcher);
  private final DocumentCache cache = new DocumentCache(1 << 22);
  private final FeedMetrics metrics = new FeedMetrics();
  private final FeedSettings settings = FeedSettings.from(Config.of(Map.of("feed.base.url", "http://feeds.test",
      "feed.items.per.document", "10")));
  private DocumentStore store;
  private final HttpClient http = HttpClient.newHttpClient();
  private int port;
  private long offset;

  @AfterEach
  void stop() {
    readBack.close();
    view.close();
    vertx.close().await();
  }

  private Change upsert(String id, String district, int day) {
    MeetingReport r = new MeetingReport(id, "Report " + id, LocalDate.of(2023, 1, 1).plusDays(day), null, district,
        null, null, null, null, List.of("Body of " + id + "."), null, List.of("economy"), "en");
    offset++;
    topic.put(Position.of(0, offset), r);
    return new Change.Upsert(r, Instant.parse("2024-06-01T10:00:00Z").plusSeconds(offset),
        new EntryKey(offset, 0, offset));
  }

  private void apply(List<Change> changes) throws Exception {
    view.submit(vertx.getOrCreateContext(), () -> store.apply(changes, true)).toCompletionStage()
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void requestsNeverRenderAndOneChangeRendersEachAffectedDocumentOnce() throws Exception {
    store = new DocumentStore(settings, cache, metrics,
        new CurrentContentReader(vertx.getOrCreateContext(), readBack, view, () -> store));
    DocumentLookup lookup = new DocumentLookup(cache, store, view, readBack, new CachedResponder(metrics, 60),
        metrics, store::firstRenderDone, new NotFound(store.notFoundPage()));
    Router router = Router.router(vertx);
    router.route().handler(ctx -> lookup.serve(ctx, ctx.request().path(), "test"));
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    port = server.actualPort();

    List<Change> history = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      history.add(upsert(String.format("r%03d", i), i % 2 == 0 ? "Erqi District" : "Huiji District", i));
    }
    apply(history);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!store.firstRenderDone()) {
      assertThat(System.nanoTime()).as("first render").isLessThan(deadline);
      Thread.sleep(10);
    }
    long afterFirstRender = store.renderCount();
    // 4 feeds (all, 2 districts, 1 tag) in 3 formats, and the index page.
    assertThat(afterFirstRender).isEqualTo(4 * 3 + 1);

    List<String> current = List.of("/feeds/reports.atom", "/feeds/reports.rss", "/feeds/reports.json",
        "/feeds/districts/erqi-district.atom", "/feeds/tags/economy.json", "/");
    for (int i = 0; i < 20; i++) {
      for (String path : current) {
        assertThat(get(path).statusCode()).as(path).isEqualTo(200);
      }
    }
    assertThat(store.renderCount()).as("120 requests of current documents").isEqualTo(afterFirstRender);

    String archive = "/feeds/reports/archive/2023-01.atom";
    assertThat(get(archive).statusCode()).isEqualTo(200);
    assertThat(store.renderCount()).as("an archive page's first request").isEqualTo(afterFirstRender + 1);
    for (int i = 0; i < 20; i++) {
      assertThat(get(archive).statusCode()).isEqualTo(200);
    }
    assertThat(store.renderCount()).as("its later requests").isEqualTo(afterFirstRender + 1);

    String huiji = get("/feeds/districts/huiji-district.atom").headers().firstValue("ETag").orElseThrow();
    long beforeChange = store.renderCount();
    apply(List.of(upsert("r040", "Erqi District", 40)));
    // all, Erqi District and economy in 3 formats each, and the index page: Huiji District's untouched.
    assertThat(store.renderCount() - beforeChange).isEqualTo(3 * 3 + 1);
    assertThat(get("/feeds/districts/huiji-district.atom").headers().firstValue("ETag")).hasValue(huiji);
    for (int i = 0; i < 20; i++) {
      for (String path : current) {
        assertThat(get(path).statusCode()).as(path).isEqualTo(200);
      }
    }
    assertThat(get("/feeds/reports.atom").body()).contains("reports/r040");
    assertThat(store.renderCount()).as("requests after the change").isEqualTo(beforeChange + 3 * 3 + 1);
  }
}
