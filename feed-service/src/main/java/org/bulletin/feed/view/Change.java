package org.bulletin.feed.view;

import java.time.Instant;
import org.bulletin.schema.MeetingReport;

/** A decoded record, ready to apply to the view. */
public sealed interface Change {
  String reportId();

  /** A published or corrected version. */
  record Upsert(MeetingReport report, Instant time, EntryKey key) implements Change {
    @Override
    public String reportId() {
      return report.id();
    }
  }

  /**
   * A retracted event (with the publisher's reason, if it gave one), or a tombstone (whose time is
   * the record's timestamp, and which has no reason).
   */
  record Retract(String reportId, Instant time, String reason) implements Change {
    public Retract(String reportId, Instant time) {
      this(reportId, time, null);
    }
  }
}
