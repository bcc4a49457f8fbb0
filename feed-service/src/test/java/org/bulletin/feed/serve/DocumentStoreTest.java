package org.bulletin.feed.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.bulletin.feed.FeedSettings;
import org.bulletin.feed.metrics.FeedMetrics;
import org.bulletin.feed.view.Change;
import org.bulletin.feed.view.EntryKey;
import org.bulletin.platform.config.Config;
import org.bulletin.schema.MeetingReport;
import org.junit.jupiter.api.Test;

class DocumentStoreTest {
  private final DocumentCache cache = new DocumentCache(100);
  private final FeedMetrics metrics = new FeedMetrics();
  private final DocumentStore store = new DocumentStore(FeedSettings.from(Config.of(Map.of(
      "feed.base.url", "http://feeds.test"))), cache, metrics, NOTHING_IN_KAFKA);
  /** Every report these tests render was just applied, so nothing needs reading back. */
  private static final org.bulletin.feed.content.ReportFetcher NOTHING_IN_KAFKA =
      new org.bulletin.feed.content.ReportFetcher() {
        @Override
        public Map<Long, MeetingReport> fetch(long[] positions) {
          return Map.of();
        }

        @Override
        public void close() {}
      };
  private long offset;

  private static MeetingReport report(String id, String title, LocalDate published) {
    return new MeetingReport(id, title, published, null, "Erqi District", null, null, null, null,
        List.of("Body of " + id), null, List.of("economy"), "en");
  }

  private Change upsert(MeetingReport r) {
    offset++;
    return new Change.Upsert(r, Instant.parse("2024-05-01T10:00:00Z").plusSeconds(offset),
        new EntryKey(1_700_000_000_000L + offset, 0, offset));
  }

  private String body(String path) {
    return cache.get(path).map(d -> d.body().toString(StandardCharsets.UTF_8)).orElse("(none)");
  }

  @Test
  void theOpmlOfALongRunningStoreEqualsThatOfOneRebuiltFromTheSameReports() {
    List<Change> first = List.of(upsert(report("a", "A", LocalDate.of(2024, 5, 1))));
    List<Change> later = List.of(upsert(report("b", "B", LocalDate.of(2024, 5, 2))));
    store.apply(first, true);
    store.apply(later, true);

    DocumentCache freshCache = new DocumentCache(100);
    DocumentStore fresh = new DocumentStore(FeedSettings.from(Config.of(Map.of("feed.base.url", "http://feeds.test"))),
        freshCache, new FeedMetrics(), NOTHING_IN_KAFKA);
    fresh.apply(first, false);
    fresh.apply(later, false);
    fresh.apply(List.of(), true);

    assertThat(freshCache.get(DocumentStore.OPML_PATH).orElseThrow().etag())
        .isEqualTo(cache.get(DocumentStore.OPML_PATH).orElseThrow().etag());
  }

  @Test
  void aTitleWithAVerticalTabRendersInEveryFeedWithoutTheCharacter() {
    store.apply(List.of(upsert(report("tab", "Budget\u000Bmeeting", LocalDate.of(2024, 5, 1)))), true);

    for (String path : List.of("/feeds/reports.rss", "/feeds/reports.atom", "/feeds/reports.json", "/")) {
      assertThat(body(path)).as(path).contains("Budgetmeeting").doesNotContain("\u000B");
    }
    assertThat(store.renderOnDemand("/reports/tab")).hasValueSatisfying(d -> assertThat(d.status()).isEqualTo(200));
    assertThat(metrics.renderFailures()).isZero();
  }

  @Test
  void aReportThatCannotRenderIsLeftOutCountedAndBlocksNoOtherDocument() {
    // No publication date: the schema makes it impossible, so this stands for any render bug.
    MeetingReport broken = report("broken", "Broken", null);
    store.apply(List.of(upsert(report("first", "First", LocalDate.of(2024, 5, 1))), upsert(broken),
        upsert(report("second", "Second", LocalDate.of(2024, 5, 1)))), true);

    for (String path : List.of("/feeds/reports.rss", "/feeds/reports.atom", "/feeds/reports.json",
        "/feeds/districts/erqi-district.rss", "/feeds/tags/economy.json")) {
      assertThat(body(path)).as(path).contains("first", "second").doesNotContain("reports/broken");
    }
    assertThat(metrics.renderFailures()).isPositive();
    assertThat(store.failingDocuments()).isPositive();
    assertThat(metrics.scrape()).contains("bulletin_feed_render_failures_total{document=\"entry\"}");
    assertThat(store.renderOnDemand("/reports/broken")).hasValueSatisfying(d -> {
      assertThat(d.status()).isEqualTo(500);
      assertThat(d.body().toString(StandardCharsets.UTF_8)).contains("cannot be shown");
    });

    store.apply(List.of(upsert(report("third", "Third", LocalDate.of(2024, 5, 2)))), true);
    assertThat(body("/feeds/reports.atom")).as("later reports keep appearing").contains("third", "first");

    store.apply(List.of(upsert(report("broken", "Fixed", LocalDate.of(2024, 5, 2)))), true);
    assertThat(body("/feeds/reports.rss")).contains("Fixed", "third");
    assertThat(store.renderOnDemand("/reports/broken")).hasValueSatisfying(d -> assertThat(d.status()).isEqualTo(200));
    assertThat(store.failingDocuments()).as("every document renders again").isZero();
  }
}
