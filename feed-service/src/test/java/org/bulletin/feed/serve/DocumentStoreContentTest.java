package org.bulletin.feed.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bulletin.feed.FeedSettings;
import org.bulletin.feed.content.Position;
import org.bulletin.feed.content.ReportFetcher;
import org.bulletin.feed.metrics.FeedMetrics;
import org.bulletin.feed.view.Change;
import org.bulletin.feed.view.EntryKey;
import org.bulletin.platform.config.Config;
import org.bulletin.schema.MeetingReport;
import org.junit.jupiter.api.Test;

/** Content read back from the topic, archive pages by month, and Atom tombstones, at the store. */
class DocumentStoreContentTest {
  /** The topic as the fetcher sees it: every version written, by position. */
  private final Map<Long, MeetingReport> topic = new HashMap<>();
  private int fetches;
  private final ReportFetcher fetcher = new ReportFetcher() {
    @Override
    public Map<Long, MeetingReport> fetch(long[] positions) {
      fetches++;
      Map<Long, MeetingReport> out = new HashMap<>();
      for (long p : positions) {
        if (topic.containsKey(p)) {
          out.put(p, topic.get(p));
        }
      }
      return out;
    }

    @Override
    public void close() {}
  };
  private final DocumentCache cache = new DocumentCache(1 << 20);
  private final FeedMetrics metrics = new FeedMetrics();
  private final DocumentStore store = new DocumentStore(FeedSettings.from(Config.of(Map.of(
      "feed.base.url", "http://feeds.test", "feed.items.per.document", "5", "feed.report.cache.bytes", "65536"))),
      cache, metrics, fetcher);
  private long offset;

  private Change upsert(String id, LocalDate published, String title) {
    MeetingReport r = new MeetingReport(id, title, published, null, "Erqi District", null, null, null, null,
        List.of(("Body of " + id + ". ").repeat(60)), null, List.of("economy"), "en");
    offset++;
    topic.put(Position.of(0, offset), r);
    return new Change.Upsert(r, Instant.parse("2024-06-01T10:00:00Z").plusSeconds(offset), new EntryKey(offset, 0, offset));
  }

  private String render(String path) {
    return store.renderOnDemand(path).map(d -> d.body().toString(StandardCharsets.UTF_8)).orElse("(none)");
  }

  @Test
  void archiveAndReportPagesReadReportsTheCacheNoLongerHoldsBackFromTheTopic() {
    List<Change> changes = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      changes.add(upsert(String.format("r%03d", i), LocalDate.of(2023, 1, 1).plusDays(i), "Report " + i));
    }
    store.apply(changes, true);
    assertThat(store.contentCacheBytes()).isLessThanOrEqualTo(65536);
    int before = fetches;

    String january = render("/feeds/reports/archive/2023-01.atom");
    assertThat(january).contains("reports/r000", "reports/r004").doesNotContain("reports/r005");
    assertThat(render("/feeds/reports/archive/2023-01-7.atom")).contains("reports/r030").doesNotContain("r029");
    assertThat(render("/feeds/reports/archive/2023-01-8.atom")).isEqualTo("(none)");
    assertThat(render("/reports/r001")).contains("Report 1");
    assertThat(fetches).as("reads from the topic").isGreaterThan(before);
    assertThat(metrics.scrape()).containsPattern("bulletin_feed_reports_read_back [1-9]")
        .containsPattern("bulletin_feed_index_bytes [1-9]");
    assertThat(store.contentCacheBytes()).isLessThanOrEqualTo(65536);
  }

  @Test
  void atomCurrentDocumentsCarryTombstonesOfRecentRetractionsWhileRssAndJsonDropTheItem() {
    store.apply(List.of(upsert("keep", LocalDate.of(2024, 5, 1), "Kept"),
        upsert("gone", LocalDate.of(2024, 5, 2), "Gone")), true);
    Instant retracted = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    store.apply(List.of(new Change.Retract("gone", retracted)), true);

    String atom = cache.get("/feeds/reports.atom").orElseThrow().body().toString(StandardCharsets.UTF_8);
    assertThat(atom).contains("xmlns:at=\"http://purl.org/atompub/tombstones/1.0\"")
        .contains("<at:deleted-entry ").contains("ref=\"tag:bulletin.dev,2024:report/gone\" when=\"" + retracted + "\"")
        .doesNotContain("reports/gone");
    assertThat(cache.get("/feeds/districts/erqi-district.atom").orElseThrow().body().toString(StandardCharsets.UTF_8))
        .contains("report/gone\"");
    for (String path : List.of("/feeds/reports.rss", "/feeds/reports.json")) {
      assertThat(cache.get(path).orElseThrow().body().toString(StandardCharsets.UTF_8)).as(path)
          .doesNotContain("gone").contains("keep");
    }
    assertThat(store.renderOnDemand("/reports/gone")).hasValueSatisfying(d -> assertThat(d.status()).isEqualTo(410));
  }

  @Test
  void onlyFullArchivePagesOfMonthsBeforeTheNewestArchiveMonthAreSettled() {
    List<Change> changes = new ArrayList<>();
    // 2023-01-01 .. 2023-03-10: January 31 reports (pages 1-6 full, 7 holds one), February 28,
    // March 10 of which the newest 5 are in the current document.
    for (int i = 0; i < 69; i++) {
      changes.add(upsert(String.format("r%03d", i), LocalDate.of(2023, 1, 1).plusDays(i), "Report " + i));
    }
    store.apply(changes, true);
    java.util.function.Function<String, Boolean> settled = path -> store.renderOnDemand(path).orElseThrow().settled();

    assertThat(settled.apply("/feeds/reports/archive/2023-01.atom")).as("full, older month").isTrue();
    assertThat(settled.apply("/feeds/reports/archive/2023-01-6.rss")).as("full, older month").isTrue();
    assertThat(settled.apply("/feeds/reports/archive/2023-01-7.atom")).as("not full").isFalse();
    assertThat(settled.apply("/feeds/reports/archive/2023-02-5.json")).as("full, older month").isTrue();
    assertThat(settled.apply("/feeds/reports/archive/2023-03.atom")).as("the newest archive month").isFalse();
    assertThat(cache.get("/feeds/reports.atom").orElseThrow().settled()).as("current document").isFalse();

    // A new report pushes the current document's oldest into March: March's page changes, January's not.
    String january = render("/feeds/reports/archive/2023-01.atom");
    String march = render("/feeds/reports/archive/2023-03.atom");
    store.apply(List.of(upsert("r069", LocalDate.of(2023, 3, 11), "Report 69")), true);
    assertThat(render("/feeds/reports/archive/2023-01.atom")).isEqualTo(january);
    assertThat(render("/feeds/reports/archive/2023-03.atom")).isNotEqualTo(march);
  }

  @Test
  void aCurrentDocumentThatDidNotFitThePinnedBudgetRendersAgainWhenAskedForAfterEviction() {
    DocumentCache small = new DocumentCache(65_536, 1);  // nothing but the always-pinned documents
    DocumentStore tight = new DocumentStore(FeedSettings.from(Config.of(Map.of(
        "feed.base.url", "http://feeds.test", "feed.items.per.document", "5"))), small, metrics, fetcher);
    List<Change> changes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      changes.add(upsert(String.format("p%03d", i), LocalDate.of(2023, 1, 1).plusDays(i), "Report " + i));
    }
    tight.apply(changes, true);
    assertThat(small.unpinnedCount()).as("the district's and the tag's documents").isEqualTo(6);
    assertThat(small.get("/feeds/reports.atom")).isPresent();

    small.removePage("/feeds/tags/economy.json"); // as the LRU would evict it
    long renders = tight.renderCount();
    assertThat(tight.renderOnDemand("/feeds/tags/economy.json").orElseThrow().body().toString(StandardCharsets.UTF_8))
        .contains("reports/p019").doesNotContain("reports/p014");
    assertThat(tight.renderCount()).isGreaterThan(renders);
    assertThat(tight.renderOnDemand("/feeds/tags/nope.json")).isEmpty();
  }
}
