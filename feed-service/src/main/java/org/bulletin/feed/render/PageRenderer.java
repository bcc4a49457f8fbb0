package org.bulletin.feed.render;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.bulletin.feed.view.Entry;
import org.bulletin.feed.view.FeedKey;
import org.bulletin.feed.view.FeedLog;
import org.bulletin.schema.MeetingReport;
import org.bulletin.schema.Official;

/**
 * The HTML pages: one per report, and the index. Plain, responsive HTML with feed autodiscovery;
 * every report text is escaped.
 */
public final class PageRenderer {
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);
  // Pages are the same bytes on every instance, so times are shown in UTC, not a server's zone.
  private static final DateTimeFormatter MOMENT = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'",
      Locale.ENGLISH).withZone(java.time.ZoneOffset.UTC);
  private static final String CSS = String.join("",
      ":root{color-scheme:light dark;--fg:#1b1b1b;--muted:#5a5a5a;--bg:#fff;--line:#ddd;--accent:#0b5cad}",
      "@media (prefers-color-scheme:dark){:root{--fg:#eee;--muted:#aaa;--bg:#161616;--line:#333;--accent:#7ab7ff}}",
      "*{box-sizing:border-box}body{margin:0;font:17px/1.6 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;",
      "color:var(--fg);background:var(--bg)}main{max-width:46rem;margin:0 auto;padding:1.25rem}",
      "header.site{border-bottom:1px solid var(--line)}header.site div{max-width:46rem;margin:0 auto;padding:.75rem 1.25rem}",
      "header.site a{font-weight:700;text-decoration:none;color:var(--fg)}a{color:var(--accent)}",
      "h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0 1rem}h2{font-size:1.15rem;margin-top:2rem}",
      "dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0 0 1.5rem;",
      "padding:1rem;border:1px solid var(--line);border-radius:.5rem}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}",
      "@media (max-width:30rem){dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:.5rem}}",
      "ul.plain{padding-left:1.1rem}.muted{color:var(--muted)}footer{margin-top:3rem;color:var(--muted);font-size:.9rem}",
      "ul.reports{list-style:none;padding:0}ul.reports li{padding:.6rem 0;border-bottom:1px solid var(--line)}",
      "code{word-break:break-all}");
  private static final String STYLE = "<style>" + CSS + "</style>";

  /**
   * The pages' Content-Security-Policy: nothing may load or run but the one inline style sheet,
   * allowed by its hash, so injected markup could neither script nor restyle a page.
   */
  public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src '" + sha256(CSS)
      + "'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static String sha256(String text) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + java.util.Base64.getEncoder().encodeToString(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private final Links links;
  private final String siteTitle;

  public PageRenderer(Links links, String siteTitle) {
    this.links = links;
    this.siteTitle = siteTitle;
  }

  public byte[] report(Entry entry) {
    MeetingReport r = Sanitized.report(entry.report());
    StringBuilder head = new StringBuilder();
    autodiscovery(head, FeedKey.ALL, siteTitle);
    if (r.district() != null) {
      autodiscovery(head, FeedKey.district(r.district()), r.district() + " reports");
    }
    StringBuilder body = new StringBuilder();
    body.append("<article><h1>").append(Html.escape(r.title())).append("</h1><dl class=\"facts\">");
    fact(body, "Published", "<time datetime=\"" + r.publishedDate() + "\">" + DAY.format(r.publishedDate()) + "</time>");
    if (r.meetingDate() != null) {
      fact(body, "Meeting held", "<time datetime=\"" + r.meetingDate() + "\">" + DAY.format(r.meetingDate()) + "</time>");
    }
    if (r.district() != null) {
      FeedKey district = FeedKey.district(r.district());
      fact(body, "District", Html.escape(r.district()) + " · <a href=\"" + Html.escape(links.feed(district, 0, "rss"))
          + "\">feed</a>");
    }
    if (r.presider() != null) {
      fact(body, "Presided by", Html.escape(ReportText.official(r.presider())));
    }
    if (!r.attendees().isEmpty()) {
      StringBuilder list = new StringBuilder("<ul class=\"plain attendees\">");
      for (Official o : r.attendees()) {
        list.append("<li>").append(Html.escape(ReportText.official(o))).append("</li>");
      }
      fact(body, "Attended by", list.append("</ul>").toString());
    }
    String sourceUrl = Sanitized.webUrl(r.sourceUrl());
    if (r.source() != null || sourceUrl != null) {
      // Only http(s) becomes a link: javascript:, data: and the like from any producer stay inert text.
      String source = Html.escape(r.source() != null ? r.source() : sourceUrl);
      fact(body, "Source", sourceUrl == null ? source
          : "<a href=\"" + Html.escape(sourceUrl) + "\" rel=\"nofollow noopener noreferrer\">" + source + "</a>");
    }
    if (!r.tags().isEmpty()) {
      StringBuilder tags = new StringBuilder();
      for (String t : r.tags()) {
        tags.append(tags.length() == 0 ? "" : ", ").append("<a href=\"")
            .append(Html.escape(links.feed(FeedKey.tag(t), 0, "rss")))
            .append("\">").append(Html.escape(t)).append("</a>");
      }
      fact(body, "Topics", tags.toString());
    }
    body.append("</dl><div class=\"body\">");
    r.body().forEach(p -> body.append("<p>").append(Html.escape(p)).append("</p>"));
    body.append("</div><p class=\"muted\">Last updated ").append(time(entry.updated())).append(".</p></article>");
    return page(r.title(), head.toString(), body.toString());
  }

  /** Served in place of a report page that cannot be rendered; says so rather than showing part of it. */
  public byte[] unavailable(String reportId) {
    String body = "<h1>Report unavailable</h1><p>The report <code>" + Html.escape(reportId)
        + "</code> cannot be shown at the moment.</p><p><a href=\"" + links.home() + "\">All reports</a></p>";
    return page("Report unavailable", "", body);
  }

  /** The 410 page: which report, when it was retracted and, if the publisher gave one, why. */
  public byte[] retracted(String reportId, String lastTitle, Instant when, String reason) {
    StringBuilder head = new StringBuilder();
    autodiscovery(head, FeedKey.ALL, siteTitle);
    StringBuilder body = new StringBuilder("<h1>Report retracted</h1><p>The report ");
    body.append(lastTitle == null ? "<code>" + Html.escape(reportId) + "</code>"
        : "“" + Html.escape(lastTitle) + "” (<code>" + Html.escape(reportId) + "</code>)");
    body.append(" was retracted by its publisher on ").append(time(when)).append(" and is no longer available.</p>");
    if (reason != null && !reason.isBlank()) {
      body.append("<p>Reason given: <q class=\"reason\">").append(Html.escape(reason)).append("</q></p>");
    }
    body.append("<p><a href=\"").append(links.home()).append("\">All reports</a></p>");
    return page("Report retracted", head.toString(), body.toString());
  }

  /** The 404 page for browsers. */
  public byte[] notFound() {
    StringBuilder head = new StringBuilder();
    autodiscovery(head, FeedKey.ALL, siteTitle);
    String body = "<h1>Not found</h1><p>There is no page at this address. A report's address is "
        + "<code>/reports/</code> followed by its id.</p><p><a href=\"" + links.home()
        + "\">All reports and feeds</a></p>";
    return page("Not found", head.toString(), body);
  }

  private static String time(Instant when) {
    return "<time datetime=\"" + when + "\">" + MOMENT.format(when) + "</time>";
  }

  public byte[] index(List<Entry> recent, List<FeedLog> feeds) {
    StringBuilder head = new StringBuilder();
    autodiscovery(head, FeedKey.ALL, siteTitle);
    StringBuilder body = new StringBuilder("<h1>").append(Html.escape(siteTitle)).append("</h1>");
    body.append("<p>Reports of local-government meetings, as RSS 2.0, Atom 1.0 and JSON Feed 1.1.</p>");
    body.append("<h2>Recent reports</h2>");
    if (recent.isEmpty()) {
      body.append("<p class=\"muted\">No reports yet.</p>");
    } else {
      body.append("<ul class=\"reports\">");
      for (Entry e : recent) {
        MeetingReport r = Sanitized.report(e.report());
        body.append("<li><a href=\"").append(Html.escape(links.report(r.id()))).append("\">")
            .append(Html.escape(r.title()))
            .append("</a><br><span class=\"muted\">").append(DAY.format(r.publishedDate()));
        if (r.district() != null) {
          body.append(" · ").append(Html.escape(r.district()));
        }
        body.append("</span></li>");
      }
      body.append("</ul>");
    }
    body.append("<h2>Feeds</h2><ul class=\"plain feeds\">");
    for (FeedLog log : feeds) {
      FeedKey key = log.key();
      String label = switch (key.kind()) {
        case ALL -> "All reports";
        case DISTRICT -> "District: " + key.label();
        case TAG -> "Topic: " + key.label();
      };
      body.append("<li>").append(Html.escape(label)).append(": ");
      for (String ext : new String[] {"rss", "atom", "json"}) {
        body.append("<a href=\"").append(Html.escape(links.feed(key, 0, ext))).append("\">")
            .append(ext.equals("rss") ? "RSS"
            : ext.equals("atom") ? "Atom" : "JSON Feed").append("</a> ");
      }
      body.append("</li>");
    }
    body.append("</ul>");
    return page(siteTitle, head.toString(), body.toString());
  }

  private void autodiscovery(StringBuilder head, FeedKey feed, String title) {
    String t = Html.escape(title);
    head.append("<link rel=\"alternate\" type=\"application/rss+xml\" title=\"").append(t).append(" (RSS)\" href=\"")
        .append(Html.escape(links.feed(feed, 0, "rss"))).append("\">")
        .append("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"").append(t)
        .append(" (Atom)\" href=\"").append(Html.escape(links.feed(feed, 0, "atom"))).append("\">")
        .append("<link rel=\"alternate\" type=\"application/feed+json\" title=\"").append(t)
        .append(" (JSON Feed)\" href=\"").append(Html.escape(links.feed(feed, 0, "json"))).append("\">");
  }

  private static void fact(StringBuilder sb, String label, String html) {
    sb.append("<dt>").append(label).append("</dt><dd>").append(html).append("</dd>");
  }

  private byte[] page(String title, String head, String body) {
    String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>" + Html.escape(title) + " · Bulletin</title>" + head + STYLE + "</head><body>"
        + "<header class=\"site\"><div><a href=\"" + links.home() + "\">Bulletin</a></div></header>"
        + "<main>" + body + "<footer>Served by Bulletin from the report stream.</footer></main></body></html>";
    return html.getBytes(StandardCharsets.UTF_8);
  }
}
