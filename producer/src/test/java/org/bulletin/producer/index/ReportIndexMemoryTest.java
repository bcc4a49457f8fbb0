package org.bulletin.producer.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.bulletin.schema.ReportFacets;
import org.junit.jupiter.api.Test;

/**
 * What the producer's index costs per report, since {@code ./bulletin up} runs it in the same heap
 * as the feed service: measured as the heap an index of 1,000,000 reports (8 districts, 2 tags
 * each) keeps reachable, after full collections.
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

  private static String id(int i) {
    return String.format("2024-05-%02d-district-%d-held-a-meeting-on-item-%07d", 1 + i % 28, i % 8, i);
  }

  @Test
  void aMillionReportsCostLessThanOneHundredEightyBytesEachInTheProducerIndex() {
    long before = usedAfterGc();
    ReportIndex index = new ReportIndex();
    for (int i = 0; i < REPORTS; i++) {
      // Ids of a realistic length (~50 characters), as the producer makes them: date and title slug.
      String id = id(i);
      // Each report brings its own facets object, as a decoded record does.
      ReportFacets facets = new ReportFacets("District " + (i % 8), List.of(TAGS[i % 5], TAGS[(i + 2) % 5]));
      index.apply(id, new ReportIndex.Version(i % 3, i / 3, 31L * i, i % 50 == 0, i % 50 == 0 ? null : facets,
          1_700_000_000_000L + i));
    }
    long after = usedAfterGc();
    long perReport = (after - before) / REPORTS;
    System.out.printf("producer index of %,d reports: %,d bytes retained, %d bytes per report (estimate %d)%n",
        REPORTS, after - before, perReport, index.estimatedBytes() / REPORTS);
    assertThat(index.size()).isEqualTo(REPORTS);
    assertThat(index.current(id(56)).orElseThrow().facets())
        .isEqualTo(new ReportFacets("District 0", List.of("roads", "health")));
    assertThat(index.current(id(50)).orElseThrow().retracted()).isTrue();
    assertThat(perReport).isLessThan(180);
  }
}
