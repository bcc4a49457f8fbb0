package org.bulletin.feed.view;

import java.time.Instant;
import org.bulletin.schema.MeetingReport;

/** One version of a report as it entered the feeds: published or corrected at {@code updated}. */
public record Entry(EntryKey key, MeetingReport report, Instant updated) {
  public String reportId() {
    return report.id();
  }
}
