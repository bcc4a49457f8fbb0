package org.bulletin.feed.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bulletin.schema.MeetingReport;
import org.junit.jupiter.api.Test;

class ReportViewTest {
  private static final LocalDate JAN = LocalDate.of(2024, 1, 1);

  private static MeetingReport report(String id, LocalDate published, String district, String... tags) {
    return new MeetingReport(id, "Title " + id, published, null, district, null, null, null, null,
        List.of("Body of " + id), null, List.of(tags), "en");
  }

  private static MeetingReport report(String id, String district, String... tags) {
    return report(id, JAN, district, tags);
  }

  private static Change.Upsert upsert(MeetingReport r, long ts, int partition, long offset) {
    return new Change.Upsert(r, Instant.ofEpochMilli(ts), new EntryKey(ts, partition, offset));
  }

  private static List<String> ids(ReportView view, int[] ords) {
    return Arrays.stream(ords).mapToObj(o -> view.index().id(o)).toList();
  }

  /** Every archive page of a feed, newest first, walked through prev-archive from the current document. */
  private static Map<String, List<String>> archives(ReportView view, FeedLog log, int n) {
    Map<String, List<String>> pages = new LinkedHashMap<>();
    long next = ArchiveId.CURRENT;
    for (long id = view.newestArchive(log, n); id != ArchiveId.CURRENT; ) {
      ArchiveSlice slice = view.archive(log, id, n).orElseThrow(() -> new AssertionError("linked page is missing"));
      assertThat(slice.next()).as("next-archive of " + ArchiveId.label(id)).isEqualTo(next);
      pages.put(ArchiveId.label(id), ids(view, slice.reports()));
      next = id;
      id = slice.prev();
    }
    return pages;
  }

  @Test
  void feedsListReportsByPublishedDateThenIdNewestFirstWhateverTheArrivalOrder() {
    ReportView a = new ReportView();
    ReportView b = new ReportView();
    Change first = upsert(report("a", LocalDate.of(2024, 3, 1), null), 1000, 1, 0);
    Change second = upsert(report("b", LocalDate.of(2024, 1, 5), null), 2000, 0, 0);
    Change third = upsert(report("c", LocalDate.of(2024, 3, 1), null), 3000, 1, 1);
    a.apply(List.of(first, second, third));
    b.apply(List.of(third));
    b.apply(List.of(second, first));
    assertThat(ids(a, a.current(a.all(), 10))).containsExactly("c", "a", "b");
    assertThat(ids(b, b.current(b.all(), 10))).containsExactly("c", "a", "b");
  }

  @Test
  void currentDocumentHoldsTheNewestAndEveryOlderReportIsOnExactlyOneArchivePageOfItsMonth() {
    ReportView view = new ReportView();
    List<Change> changes = new ArrayList<>();
    // March: 5 reports, April: 1, June: 4 (May empty); 3 per document.
    String[] march = {"m1", "m2", "m3", "m4", "m5"};
    for (int i = 0; i < march.length; i++) {
      changes.add(upsert(report(march[i], LocalDate.of(2024, 3, 1 + i), null), 100 + i, 0, i));
    }
    changes.add(upsert(report("a1", LocalDate.of(2024, 4, 10), null), 200, 0, 10));
    for (int i = 1; i <= 4; i++) {
      changes.add(upsert(report("j" + i, LocalDate.of(2024, 6, i), null), 300 + i, 0, 20 + i));
    }
    view.apply(changes);

    assertThat(ids(view, view.current(view.all(), 3))).containsExactly("j4", "j3", "j2");
    Map<String, List<String>> pages = archives(view, view.all(), 3);
    assertThat(pages).containsExactly(
        Map.entry("2024-06", List.of("j1")),
        Map.entry("2024-04", List.of("a1")),
        Map.entry("2024-03-2", List.of("m5", "m4")),
        Map.entry("2024-03", List.of("m3", "m2", "m1")));
    assertThat(view.archive(view.all(), ArchiveId.parse("2024-05"), 3)).isEmpty();
    assertThat(view.archive(view.all(), ArchiveId.parse("2024-03-3"), 3)).isEmpty();
  }

  @Test
  void aCorrectionStaysOnItsPageWithItsNewTimeAndChangesNoOtherPage() {
    ReportView view = new ReportView();
    List<Change> changes = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      changes.add(upsert(report("r" + i, LocalDate.of(2024, 1 + i / 3, 1 + i), null), 100 + i, 0, i));
    }
    view.apply(changes);
    Map<String, List<String>> before = archives(view, view.all(), 3);

    Applied applied = view.apply(List.of(upsert(new MeetingReport("r1", "Corrected", LocalDate.of(2024, 1, 2), null,
        null, null, null, null, null, List.of("New"), null, null, null), 5000, 0, 50)));

    assertThat(applied.feeds()).extracting(FeedKey::basePath).containsExactly("/feeds/reports");
    assertThat(archives(view, view.all(), 3)).isEqualTo(before);
    int r1 = view.find("r1");
    assertThat(view.index().time(r1)).isEqualTo(5000);
    assertThat(view.index().offset(r1)).isEqualTo(50);
  }

  @Test
  void reportsOfOneDayAreOrderedByTheTimeOfTheirLatestVersionSoANewOneIsOnTop() {
    ReportView view = new ReportView();
    view.apply(List.of(upsert(report("zz", null), 1000, 0, 0), upsert(report("aa", null), 2000, 0, 1),
        upsert(report("mm", null), 3000, 0, 2)));
    assertThat(ids(view, view.current(view.all(), 10))).containsExactly("mm", "aa", "zz");
    view.apply(List.of(upsert(report("zz", "Erqi District"), 4000, 0, 3)));
    assertThat(ids(view, view.current(view.all(), 2))).containsExactly("zz", "mm");
  }

  @Test
  void aCorrectedPublishedDateMovesTheReportToItsNewMonth() {
    ReportView view = new ReportView();
    view.apply(List.of(upsert(report("old", LocalDate.of(2023, 5, 1), null), 1, 0, 0),
        upsert(report("x", LocalDate.of(2024, 5, 1), null), 2, 0, 1),
        upsert(report("y", LocalDate.of(2024, 6, 1), null), 3, 0, 2)));
    view.apply(List.of(upsert(report("old", LocalDate.of(2023, 9, 1), null), 4, 0, 3)));
    assertThat(archives(view, view.all(), 1)).containsExactly(
        Map.entry("2024-05", List.of("x")), Map.entry("2023-09", List.of("old")));
  }

  @Test
  void aBackfilledReportLandsInItsMonthAndLeavesTheCurrentDocumentAndOtherMonthsAlone() {
    ReportView view = new ReportView();
    view.apply(List.of(upsert(report("jan", LocalDate.of(2024, 1, 3), null), 1, 0, 0),
        upsert(report("mar", LocalDate.of(2024, 3, 3), null), 2, 0, 1),
        upsert(report("may", LocalDate.of(2024, 5, 3), null), 3, 0, 2)));
    view.apply(List.of(upsert(report("backfill", LocalDate.of(2024, 1, 1), null), 10, 0, 3)));
    assertThat(ids(view, view.current(view.all(), 1))).containsExactly("may");
    assertThat(archives(view, view.all(), 1)).containsExactly(
        Map.entry("2024-03", List.of("mar")), Map.entry("2024-01-2", List.of("jan")),
        Map.entry("2024-01", List.of("backfill")));
  }

  @Test
  void aRetractionTakesTheReportOutOfEveryFeedAndOffersATombstoneInItsFeedsOnly() {
    ReportView view = new ReportView();
    view.apply(List.of(upsert(report("a", "Huiji District", "economy"), 1000, 0, 0),
        upsert(report("b", "Erqi District"), 1001, 0, 1)));
    Applied applied = view.apply(List.of(new Change.Retract("a", Instant.ofEpochMilli(5000))));
    assertThat(applied.feeds()).extracting(FeedKey::basePath)
        .containsExactlyInAnyOrder("/feeds/reports", "/feeds/districts/huiji-district", "/feeds/tags/economy");
    assertThat(ids(view, view.current(view.all(), 10))).containsExactly("b");
    assertThat(view.current(view.feed("/feeds/tags/economy").orElseThrow(), 10)).isEmpty();
    assertThat(view.isRetracted("a")).isTrue();
    assertThat(view.retractedAt("a")).isEqualTo(Instant.ofEpochMilli(5000));
    assertThat(view.reportCount()).isEqualTo(1);

    Instant now = Instant.ofEpochMilli(6000);
    assertThat(ids(view, view.recentlyRetracted(view.all(), 10, now))).containsExactly("a");
    assertThat(ids(view, view.recentlyRetracted(view.feed("/feeds/tags/economy").orElseThrow(), 10, now)))
        .containsExactly("a");
    assertThat(view.recentlyRetracted(view.feed("/feeds/districts/erqi-district").orElseThrow(), 10, now)).isEmpty();
    // A retraction older than the age limit, or a report published again, has no tombstone.
    assertThat(view.recentlyRetracted(view.all(), 10, now.plus(java.time.Duration.ofDays(31)))).isEmpty();
    view.apply(List.of(upsert(report("a", null), 7000, 0, 5)));
    assertThat(view.recentlyRetracted(view.all(), 10, now)).isEmpty();
  }

  @Test
  void tombstonesAreBoundedInCountNewestRetractionFirst() {
    ReportView view = new ReportView(3, java.time.Duration.ofDays(1));
    List<Change> changes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      changes.add(upsert(report("r" + i, null), i, 0, i));
    }
    for (int i = 0; i < 5; i++) {
      changes.add(new Change.Retract("r" + i, Instant.ofEpochMilli(100 + i)));
    }
    view.apply(changes);
    assertThat(ids(view, view.recentlyRetracted(view.all(), 10, Instant.ofEpochMilli(200))))
        .containsExactly("r4", "r3", "r2");
    assertThat(ids(view, view.recentlyRetracted(view.all(), 2, Instant.ofEpochMilli(200))))
        .containsExactly("r4", "r3");
  }

  @Test
  void tombstonesFollowRetractionTimeNotTheOrderPartitionsWereRead() {
    // Two partitions read in either order must give the same tombstones.
    List<Change> published = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      published.add(upsert(report("r" + i, null), i, i, 0));
    }
    List<Change> retractions = List.of(new Change.Retract("r1", Instant.ofEpochMilli(300)),
        new Change.Retract("r0", Instant.ofEpochMilli(100)), new Change.Retract("r2", Instant.ofEpochMilli(200)));
    List<Change> reversed = new ArrayList<>(retractions);
    java.util.Collections.reverse(reversed);
    for (List<Change> order : List.of(retractions, reversed)) {
      ReportView view = new ReportView(10, java.time.Duration.ofMillis(150));
      view.apply(published);
      view.apply(order);
      Instant newestEvent = view.all().lastChange();
      assertThat(newestEvent).isEqualTo(Instant.ofEpochMilli(300));
      assertThat(ids(view, view.recentlyRetracted(view.all(), 10, newestEvent))).as("applied %s", order)
          .containsExactly("r1", "r2");
    }
  }

  @Test
  void theSameVersionAgainIsADuplicateThatOnlyMovesItsPosition() {
    ReportView view = new ReportView();
    view.apply(List.of(upsert(report("a", null), 1000, 0, 0), upsert(report("b", null), 2000, 0, 1)));
    Applied dup = view.apply(List.of(new Change.Upsert(report("a", null), Instant.ofEpochMilli(1000),
        new EntryKey(3000, 0, 2))));
    assertThat(dup.duplicateCount()).isEqualTo(1);
    assertThat(dup.feeds()).isEmpty();
    assertThat(view.index().offset(view.find("a"))).isEqualTo(2);
    assertThat(view.all().lastChange()).isEqualTo(Instant.ofEpochMilli(2000));
  }

  @Test
  void districtChangeTakesTheReportOutOfTheOldDistrictFeed() {
    ReportView view = new ReportView();
    view.apply(List.of(upsert(report("a", "Erqi District"), 1000, 0, 0)));
    assertThat(view.current(view.feed("/feeds/districts/erqi-district").orElseThrow(), 10)).hasSize(1);
    Applied applied = view.apply(List.of(upsert(report("a", "Jinshui District"), 2000, 0, 1)));
    assertThat(applied.feeds()).extracting(FeedKey::slug).contains("erqi-district", "jinshui-district");
    assertThat(view.current(view.feed("/feeds/districts/erqi-district").orElseThrow(), 10)).isEmpty();
    assertThat(ids(view, view.current(view.feed("/feeds/districts/jinshui-district").orElseThrow(), 10)))
        .containsExactly("a");
  }

  @Test
  void tombstoneForAnUnknownReportIsHarmless() {
    ReportView view = new ReportView();
    Applied applied = view.apply(List.of(new Change.Retract("ghost", Instant.EPOCH)));
    assertThat(applied.feeds()).isEmpty();
    assertThat(view.isRetracted("ghost")).isTrue();
    assertThat(view.recentlyRetracted(view.all(), 10, Instant.EPOCH)).isEmpty();
  }

  /**
   * The property the archives rest on: a view built from a full history (corrections, retractions,
   * partitions interleaved in any order, read in batches, some pages read between batches) and one
   * built from only what compaction keeps (each report's latest version) have the same pages.
   */
  @Test
  void aViewOfWhatCompactionKeepsHasTheSameDocumentsAsOneOfTheWholeHistory() {
    for (long seed = 1; seed <= 20; seed++) {
      Random random = new Random(seed);
      List<Change> history = new ArrayList<>();
      Map<String, Change> latest = new HashMap<>();
      String[] districts = {"Erqi District", "Huiji District", null};
      for (int i = 0; i < 300; i++) {
        String id = "r" + random.nextInt(120);
        long ts = 1000 + i;
        Change change = random.nextInt(10) == 0 ? new Change.Retract(id, Instant.ofEpochMilli(ts))
            : upsert(report(id, LocalDate.of(2024, 1, 1).plusDays(random.nextInt(200)),
                districts[random.nextInt(3)], random.nextBoolean() ? "economy" : "roads"), ts, 0, i);
        history.add(change);
        latest.put(id, change);
      }
      ReportView full = new ReportView();
      for (int from = 0; from < history.size(); from += 37) {
        full.apply(history.subList(from, Math.min(history.size(), from + 37)));
        full.current(full.all(), 7); // reads between batches settle the order part by part
      }
      List<Change> kept = new ArrayList<>(latest.values().stream()
          .filter(c -> c instanceof Change.Upsert).toList());
      Collections.shuffle(kept, random);
      ReportView compacted = new ReportView();
      compacted.apply(kept);

      for (FeedLog log : full.feeds()) {
        FeedLog other = compacted.feed(log.key().basePath()).orElse(null);
        if (log.size() == 0 && other == null) {
          continue;
        }
        assertThat(other).as("seed " + seed + " " + log.key().basePath()).isNotNull();
        assertThat(ids(compacted, compacted.current(other, 7))).as("seed " + seed)
            .isEqualTo(ids(full, full.current(log, 7)));
        assertThat(archives(compacted, other, 7)).as("seed " + seed + " " + log.key().basePath())
            .isEqualTo(archives(full, log, 7));
      }
    }
  }

  @Test
  void keepsTheRetractionsReasonAndTimeWhenItsTombstoneFollows() {
    ReportView view = new ReportView();
    view.apply(List.of(upsert(report("a", null), 1000, 0, 0)));
    view.apply(List.of(new Change.Retract("a", Instant.ofEpochMilli(5000), "published in error"),
        new Change.Retract("a", Instant.ofEpochMilli(5001))));
    assertThat(view.retractionReason("a")).contains("published in error");
    assertThat(view.retractedAt("a")).isEqualTo(Instant.ofEpochMilli(5000));
    view.apply(List.of(upsert(report("a", null), 6000, 0, 3)));
    assertThat(view.retractionReason("a")).isEmpty();
  }
}
