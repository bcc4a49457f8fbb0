package org.bulletin.feed.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.bulletin.schema.MeetingReport;
import org.junit.jupiter.api.Test;

/**
 * What the view costs per report once content lives in Kafka: measured as the heap a view of
 * 1,000,000 reports (8 districts, 2 tags each) keeps reachable, after full collections.
 */
class ReportIndexMemoryTest {
  private static final int REPORTS = 1_000_000;
  private static final String[] TAGS = {"economy", "roads", "schools", "health", "housing"};

  private static long usedAfterGc() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  @Test
  void aMillionReportsCostLessThanTwoHundredBytesEachInTheView() {
    long before = usedAfterGc();
    ReportView view = new ReportView();
    List<Change> batch = new ArrayList<>(10_000);
    List<String> body = List.of("x");
    for (int i = 0; i < REPORTS; i++) {
      // Ids of a realistic length (~50 characters), as the producer makes them: date and title slug.
      String id = String.format("2024-05-%02d-district-%d-held-a-meeting-on-item-%07d", 1 + i % 28, i % 8, i);
      MeetingReport report = new MeetingReport(id, "t", LocalDate.of(2020, 1, 1).plusDays(i % 1500), null,
          "District " + (i % 8), null, null, null, null, body, null, List.of(TAGS[i % 5], TAGS[(i + 2) % 5]), "en");
      batch.add(new Change.Upsert(report, Instant.ofEpochMilli(1_700_000_000_000L + i),
          new EntryKey(1_700_000_000_000L + i, i % 3, i / 3)));
      if (batch.size() == 10_000) {
        view.apply(batch);
        batch.clear();
      }
    }
    view.apply(batch);
    batch = null;
    for (FeedLog log : view.feeds()) {
      view.current(log, 50); // settles every feed's order, as the first render does
    }
    long after = usedAfterGc();
    long perReport = (after - before) / REPORTS;
    System.out.printf("view of %,d reports: %,d bytes retained, %d bytes per report (estimate %d)%n", REPORTS,
        after - before, perReport, view.estimatedBytes() / REPORTS);
    assertThat(view.reportCount()).isEqualTo(REPORTS);
    assertThat(perReport).isLessThan(200);
  }
}
