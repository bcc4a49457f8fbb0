package org.bulletin.feed.render;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.stream.Collectors;
import org.bulletin.schema.MeetingReport;
import org.bulletin.schema.Official;

/** How a report reads inside a feed item: its author line and its HTML content. */
final class ReportText {
  private ReportText() {}

  /** Who issued the report: its source, else its district, else Bulletin. */
  static String author(MeetingReport r) {
    if (r.source() != null) {
      return r.source();
    }
    return r.district() != null ? r.district() : "Bulletin";
  }

  static String official(Official o) {
    return o.role() == null ? o.name() : o.name() + " (" + o.role() + ")";
  }

  /** The body as HTML paragraphs, preceded by the meeting facts the report states. */
  static String contentHtml(MeetingReport r) {
    StringBuilder sb = new StringBuilder();
    if (r.meetingDate() != null || r.presider() != null || !r.attendees().isEmpty()) {
      sb.append("<ul>");
      if (r.meetingDate() != null) {
        sb.append("<li>Meeting date: ").append(r.meetingDate()).append("</li>");
      }
      if (r.presider() != null) {
        sb.append("<li>Presided by: ").append(Html.escape(official(r.presider()))).append("</li>");
      }
      if (!r.attendees().isEmpty()) {
        sb.append("<li>Attended by: ").append(Html.escape(r.attendees().stream()
            .map(ReportText::official).collect(Collectors.joining(", ")))).append("</li>");
      }
      sb.append("</ul>");
    }
    r.body().forEach(p -> sb.append("<p>").append(Html.escape(p)).append("</p>"));
    if (r.source() != null) {
      sb.append("<p>Source: ").append(Html.escape(r.source())).append("</p>");
    }
    return sb.toString();
  }

  static Date startOfDay(LocalDate date) {
    return Date.from(date.atStartOfDay(ZoneOffset.UTC).toInstant());
  }
}
