package org.bulletin.feed.render;

import java.util.ArrayList;
import java.util.List;
import org.bulletin.schema.MeetingReport;
import org.bulletin.schema.Official;
import org.bulletin.schema.ReportRules;
import org.bulletin.schema.XmlText;

/**
 * A report as every renderer shows it. Events from other producers may hold characters XML 1.0
 * forbids (the ingest API refuses them); they are dropped here, so one odd byte never stops a
 * feed. Stateless; any thread.
 */
final class Sanitized {
  /** Shown for a title that is empty once the forbidden characters are gone. */
  static final String UNTITLED = "Untitled report";

  private Sanitized() {}

  /** {@code r} without forbidden characters; {@code r} itself when it has none. */
  static MeetingReport report(MeetingReport r) {
    if (isClean(r)) {
      return r;
    }
    String title = text(r.title());
    List<String> body = new ArrayList<>();
    r.body().stream().map(Sanitized::text).filter(p -> !p.isBlank()).forEach(body::add);
    List<Official> attendees = new ArrayList<>();
    r.attendees().stream().map(Sanitized::official).filter(o -> o != null).forEach(attendees::add);
    return new MeetingReport(text(r.id()), title == null || title.isBlank() ? UNTITLED : title, r.publishedDate(),
        r.meetingDate(), blankToNull(text(r.district())), official(r.presider()), attendees,
        blankToNull(text(r.source())), blankToNull(text(r.sourceUrl())), body, blankToNull(text(r.summary())),
        r.tags().stream().map(Sanitized::text).filter(t -> !t.isEmpty()).distinct().toList(),
        blankToNull(text(r.language())));
  }

  /** Text without forbidden characters ({@code null} stays {@code null}). */
  static String text(String text) {
    return XmlText.strip(text);
  }

  /** The URL when it is an absolute http(s) URL, the only kind ever rendered as a link; else {@code null}. */
  static String webUrl(String url) {
    return ReportRules.isWebUrl(url) ? url : null;
  }

  private static Official official(Official o) {
    if (o == null) {
      return null;
    }
    String name = text(o.name());
    return name.isBlank() ? null : new Official(name, blankToNull(text(o.role())));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static boolean isClean(MeetingReport r) {
    if (!clean(r.id()) || !clean(r.title()) || !clean(r.district()) || !clean(r.source())
        || !clean(r.sourceUrl()) || !clean(r.summary()) || !clean(r.language()) || !clean(r.presider())) {
      return false;
    }
    return r.title() != null && !r.title().isBlank() && r.body().stream().allMatch(Sanitized::clean)
        && r.tags().stream().allMatch(Sanitized::clean) && r.attendees().stream().allMatch(Sanitized::clean);
  }

  private static boolean clean(Official o) {
    return o == null || (clean(o.name()) && clean(o.role()));
  }

  private static boolean clean(String s) {
    return s == null || XmlText.indexOfIllegal(s) < 0;
  }
}
