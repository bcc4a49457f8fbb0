package org.bulletin.feed.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bulletin.feed.FeedSettings;
import org.bulletin.feed.content.ContentUnavailableException;
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
 * Content of current documents is read on the read-back pool, never on the view thread: while it
 * is read (or when Kafka does not return it) the view thread goes on applying batches, and a
 * current document never rendered yet answers "content unavailable".
 */
class CurrentContentOffTheViewThreadTest {
  private final Map<Long, MeetingReport> topic = new HashMap<>();
  private final DocumentCache cache = new DocumentCache(1 << 20);
  private final FeedMetrics metrics = new FeedMetrics();
  private final FeedSettings settings = FeedSettings.from(Config.of(Map.of("feed.base.url", "http://feeds.test",
      "feed.items.per.document", "5", "feed.report.cache.bytes", "65536")));
  private final Vertx vertx = Vertx.vertx();
  private final BoundedExecutor view = new BoundedExecutor("test-view", 1, 16);
  private volatile boolean kafkaAnswers;
  private volatile Thread fetchedOn;
  private final ReadBack readBack = new ReadBack("test-readback", 1, 4, () -> new ReportFetcher() {
    @Override
    public Map<Long, MeetingReport> fetch(long[] positions) {
      fetchedOn = Thread.currentThread();
      if (!kafkaAnswers) {
        throw new ContentUnavailableException("Kafka did not answer within the read-back timeout");
      }
      Map<Long, MeetingReport> out = new HashMap<>();
      for (long p : positions) {
        out.put(p, topic.get(p));
      }
      return out;
    }

    @Override
    public void close() {}
  });
  private DocumentStore store;
  private long offset;

  @AfterEach
  void stop() {
    readBack.close();
    view.close();
    vertx.close().await();
  }

  private Change upsert(String id) {
    return upsert(id, 60);
  }

  private Change upsert(String id, int sentences) {
    MeetingReport r = new MeetingReport(id, "Report " + id, LocalDate.of(2023, 1, 1).plusDays(offset), null,
        "Erqi District", null, null, null, null, List.of(("Body of " + id + ". ").repeat(sentences)), null,
        List.of("economy"), "en");
    offset++;
    topic.put(Position.of(0, offset), r);
    return new Change.Upsert(r, Instant.parse("2024-06-01T10:00:00Z").plusSeconds(offset),
        new EntryKey(offset, 0, offset));
  }

  private <T> T onView(java.util.concurrent.Callable<T> task) throws Exception {
    return view.submit(vertx.getOrCreateContext(), task).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  private void awaitOnView(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!onView(condition::getAsBoolean)) {
      assertThat(System.nanoTime()).as("waited for the view").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void currentDocumentsAreReadOnThePoolAndAnswerContentUnavailableUntilKafkaReturnsThem() throws Exception {
    store = new DocumentStore(settings, cache, metrics,
        new CurrentContentReader(vertx.getOrCreateContext(), readBack, view, () -> store));
    List<Change> history = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      history.add(upsert(String.format("r%03d", i)));
    }
    // Catching up offers nothing to the content cache: the first render needs every report read back.
    onView(() -> store.apply(history, false));
    onView(() -> store.apply(List.of(), true));

    // Kafka does not answer: the view thread never waited for it, and goes on applying batches.
    awaitOnView(() -> store.failingDocuments() > 0);
    assertThat(fetchedOn).isNotNull();
    assertThat(fetchedOn.getName()).startsWith("test-readback");
    assertThat(onView(() -> store.prepareOnDemand("/feeds/reports.atom", new long[0], Map.of())))
        .isInstanceOf(DocumentStore.OnDemand.Unavailable.class);
    onView(() -> store.apply(List.of(upsert("r040")), true));
    assertThat(cache.get("/feeds/reports.atom")).isEmpty();
    assertThat(metrics.scrape()).containsPattern("bulletin_feed_render_failures_total\\{[^}]*content[^}]*} [1-9]");
    // Frozen documents turn readiness DOWN once they have failed longer than the configured time.
    java.time.Duration downAfter = java.time.Duration.ofSeconds(60);
    assertThat(store.contentProblem(downAfter, Instant.now())).isNull();
    assertThat(store.contentProblem(downAfter, Instant.now().plusSeconds(61)))
        .contains("could not read their reports back from Kafka", "read-back timeout");

    // Kafka answers again: the retry renders every current document with the reports read back.
    kafkaAnswers = true;
    awaitOnView(() -> cache.get("/feeds/reports.atom").isPresent());
    assertThat(cache.get("/feeds/reports.atom").orElseThrow().body().toString(StandardCharsets.UTF_8))
        .contains("reports/r040", "reports/r036").doesNotContain("reports/r035");
    awaitOnView(() -> store.failingDocuments() == 0);
    assertThat(cache.get("/")).isPresent();
    assertThat(store.contentProblem(downAfter, Instant.now().plusSeconds(61))).isNull();
  }

  @Test
  void currentDocumentsWhoseReportsDoNotAllFitTheContentCacheAreStillRenderedOnce() throws Exception {
    kafkaAnswers = true;
    store = new DocumentStore(settings, cache, metrics,
        new CurrentContentReader(vertx.getOrCreateContext(), readBack, view, () -> store));
    List<Change> history = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      history.add(upsert(String.format("big%03d", i), 400)); // ~6 KB each: the index page's 20 exceed 64 KB
    }
    onView(() -> store.apply(history, false));
    onView(() -> store.apply(List.of(), true));

    awaitOnView(store::firstRenderDone);
    assertThat(cache.get("/").orElseThrow().body().toString(StandardCharsets.UTF_8))
        .contains("big029", "big010").doesNotContain("big009");
    assertThat(store.failingDocuments()).isZero();
  }
}
