package org.bulletin.feed.render;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.bulletin.feed.view.FeedKey;
import org.bulletin.feed.view.FeedLog;

/**
 * {@code /feeds.opml}: every feed as an OPML 2.0 subscription list, one outline per feed in each
 * format, grouped by format so a reader can import the one it prefers.
 */
public final class OpmlRenderer {
  private static final String[][] FORMATS = {
      {"rss", "RSS 2.0", "RSS2"}, {"atom", "Atom 1.0", "ATOM"}, {"json", "JSON Feed 1.1", "JSONFEED"}};

  private final Links links;
  private final String siteTitle;

  public OpmlRenderer(Links links, String siteTitle) {
    this.links = links;
    this.siteTitle = siteTitle;
  }

  public byte[] render(List<FeedLog> feeds, Instant modified) {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n");
    xml.append("  <head>\n    <title>").append(Html.escape(siteTitle)).append("</title>\n")
        .append("    <dateModified>").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(modified.atOffset(ZoneOffset.UTC)))
        .append("</dateModified>\n    <docs>http://opml.org/spec2.opml</docs>\n  </head>\n  <body>\n");
    for (String[] format : FORMATS) {
      xml.append("    <outline text=\"").append(format[1]).append("\" title=\"").append(format[1]).append("\">\n");
      for (FeedLog log : feeds) {
        String title = Html.escape(title(log.key()));
        xml.append("      <outline type=\"rss\" version=\"").append(format[2]).append("\" text=\"").append(title)
            .append("\" title=\"").append(title).append("\" xmlUrl=\"").append(Html.escape(links.feed(log.key(), 0,
                format[0]))).append("\" htmlUrl=\"").append(Html.escape(links.home())).append("\"/>\n");
      }
      xml.append("    </outline>\n");
    }
    return xml.append("  </body>\n</opml>\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  private String title(FeedKey key) {
    return switch (key.kind()) {
      case ALL -> siteTitle;
      case DISTRICT -> key.label() + ": meeting reports";
      case TAG -> "Meeting reports on " + key.label();
    };
  }
}
