package org.bulletin.feed.content;

import org.bulletin.schema.MeetingReport;
import org.bulletin.schema.Official;

/** Estimated heap bytes of a decoded report: its strings (two bytes a char at most) and objects. */
final class ReportSize {
  private static final int OBJECT = 48;

  private ReportSize() {}

  static int estimate(MeetingReport r) {
    long n = 200 + s(r.id()) + s(r.title()) + s(r.district()) + s(r.source()) + s(r.sourceUrl()) + s(r.summary())
        + s(r.language()) + official(r.presider());
    for (String p : r.body()) {
      n += s(p) + 8;
    }
    for (String t : r.tags()) {
      n += s(t) + 8;
    }
    for (Official o : r.attendees()) {
      n += official(o) + 8;
    }
    return (int) Math.min(Integer.MAX_VALUE, n);
  }

  private static long official(Official o) {
    return o == null ? 0 : OBJECT + s(o.name()) + s(o.role());
  }

  private static long s(String s) {
    return s == null ? 0 : OBJECT + 2L * s.length();
  }
}
