package org.bulletin.feed.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.bulletin.schema.MeetingReport;
import org.junit.jupiter.api.Test;

class ReportViewTest {
  private static MeetingReport report(String id, String district, String... tags) {
    return new MeetingReport(id, "Title " + id, LocalDate.of(2024, 1, 1), null, district, null, null, null, null,
        List.of("Body of " + id), null, List.of(tags), "en");
  }

  private static Change.Upsert upsert(MeetingReport r, long ts, int partition, long offset) {
    return new Change.Upsert(r, Instant.ofEpochMilli(ts), new EntryKey(ts, partition, offset));
  }

  private static List<String> ids(List<Entry> entries) {
    return entries.stream().map(Entry::reportId).toList();
  }

  @Test
  void orderIsTheSameWhateverOrderPartitionsArriveIn() {
    ReportView a = new ReportView();
    ReportView b = new ReportView();
    Change first = upsert(report("a", null), 1000, 1, 0);
    Change second = upsert(report("b", null), 2000, 0, 0);
    Change third = upsert(report("c", null), 3000, 1, 1);
    a.apply(List.of(first, second, third));
    b.apply(List.of(second));
    b.apply(List.of(first, third));
    assertThat(ids(a.current(a.all(), 10))).containsExactly("c", "b", "a");
    assertThat(ids(b.current(b.all(), 10))).containsExactly("c", "b", "a");
    assertThat(ids(a.all().entries())).isEqualTo(ids(b.all().entries()));
  }

  @Test
  void duplicateVersionIsIgnoredAndCorrectionMovesTheReportToTheTop() {
    ReportView view = new ReportView();
    view.apply(List.of(upsert(report("a", null), 1000, 0, 0), upsert(report("b", null), 2000, 0, 1)));
    Applied dup = view.apply(List.of(upsert(report("a", null), 3000, 0, 2)));
    assertThat(dup.duplicateCount()).isEqualTo(1);
    assertThat(dup.isEmpty()).isTrue();
    assertThat(view.all().lastChange()).isEqualTo(Instant.ofEpochMilli(2000));

    MeetingReport corrected = new MeetingReport("a", "Corrected", LocalDate.of(2024, 1, 1), null, null, null, null,
        null, null, List.of("New body"), null, null, null);
    view.apply(List.of(upsert(corrected, 4000, 0, 3)));
    List<Entry> current = view.current(view.all(), 10);
    assertThat(ids(current)).containsExactly("a", "b");
    assertThat(current.get(0).report().title()).isEqualTo("Corrected");
    assertThat(view.all().lastChange()).isEqualTo(Instant.ofEpochMilli(4000));
  }

  @Test
  void retractionRemovesFromEveryFeedAndMarksTheReport() {
    ReportView view = new ReportView();
    view.apply(List.of(upsert(report("a", "Huiji District", "economy"), 1000, 0, 0)));
    Applied applied = view.apply(List.of(new Change.Retract("a", Instant.ofEpochMilli(5000))));
    assertThat(applied.feeds()).extracting(FeedKey::basePath)
        .containsExactlyInAnyOrder("/feeds/reports", "/feeds/districts/huiji-district", "/feeds/tags/economy");
    for (FeedLog log : view.feeds()) {
      assertThat(view.current(log, 10)).as(log.key().basePath()).isEmpty();
      assertThat(log.lastChange()).isEqualTo(Instant.ofEpochMilli(5000));
    }
    assertThat(view.isRetracted("a")).isTrue();
    assertThat(view.report("a")).isEmpty();
  }

  @Test
  void districtChangeTakesTheReportOutOfTheOldDistrictFeed() {
    ReportView view = new ReportView();
    view.apply(List.of(upsert(report("a", "Erqi District"), 1000, 0, 0)));
    Applied applied = view.apply(List.of(upsert(report("a", "Jinshui District"), 2000, 0, 1)));
    assertThat(applied.feeds()).extracting(FeedKey::slug).contains("erqi-district", "jinshui-district");
    assertThat(view.current(view.feed("/feeds/districts/erqi-district").orElseThrow(), 10)).isEmpty();
    assertThat(ids(view.current(view.feed("/feeds/districts/jinshui-district").orElseThrow(), 10))).containsExactly("a");
  }

  @Test
  void fullArchivePagesHoldTheVersionsAsTheyEnteredAndSkipRetracted() {
    ReportView view = new ReportView();
    for (int i = 0; i < 5; i++) {
      view.apply(List.of(upsert(report("r" + i, null), 1000 + i, 0, i)));
    }
    FeedLog all = view.all();
    assertThat(all.fullPages(2)).isEqualTo(2);
    assertThat(ids(view.archivePage(all, 1, 2))).containsExactly("r1", "r0");
    assertThat(ids(view.archivePage(all, 2, 2))).containsExactly("r3", "r2");
    assertThat(view.archivePage(all, 3, 2)).isEmpty();
    view.apply(List.of(new Change.Retract("r0", Instant.ofEpochMilli(9000))));
    assertThat(ids(view.archivePage(all, 1, 2))).containsExactly("r1");
  }

  @Test
  void tombstoneForAnUnknownReportIsHarmless() {
    ReportView view = new ReportView();
    Applied applied = view.apply(List.of(new Change.Retract("ghost", Instant.EPOCH)));
    assertThat(applied.feeds()).isEmpty();
    assertThat(view.isRetracted("ghost")).isTrue();
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
