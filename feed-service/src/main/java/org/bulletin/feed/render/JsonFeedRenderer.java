package org.bulletin.feed.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bulletin.schema.MeetingReport;

/** JSON Feed 1.1 with Jackson; archive pages are chained through {@code next_url}. */
public final class JsonFeedRenderer {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final Links links;

  public JsonFeedRenderer(Links links) {
    this.links = links;
  }

  public byte[] render(FeedPage page) {
    ObjectNode feed = MAPPER.createObjectNode();
    feed.put("version", "https://jsonfeed.org/version/1.1");
    String title = Sanitized.text(page.title());
    feed.put("title", title);
    feed.put("home_page_url", links.home());
    feed.put("feed_url", links.feed(page.feed(), page.page(), "json"));
    feed.put("description", title + ": reports of local-government meetings, newest first.");
    if (page.prevArchive() > 0) {
      feed.put("next_url", links.feed(page.feed(), page.prevArchive(), "json"));
    }
    feed.put("language", "en");
    if (!page.isArchive() && links.hub() != null) {
      // JSON Feed 1.1 "hubs": WebSub discovery; archive pages never change.
      feed.putArray("hubs").addObject().put("type", "WebSub").put("url", links.hub());
    }
    feed.putArray("authors").addObject().put("name", "Bulletin");
    ArrayNode items = feed.putArray("items");
    for (org.bulletin.feed.view.Entry e : page.entries()) {
      MeetingReport r = Sanitized.report(e.report());
      ObjectNode item = items.addObject();
      item.put("id", links.entryId(r.id()));
      item.put("url", links.report(r.id()));
      String source = Sanitized.webUrl(r.sourceUrl());
      if (source != null) {
        item.put("external_url", source); // only http(s): a feed reader may render it as a link
      }
      item.put("title", r.title());
      item.put("content_html", ReportText.contentHtml(r));
      if (r.summary() != null) {
        item.put("summary", r.summary());
      }
      item.put("date_published", r.publishedDate().atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toString());
      item.put("date_modified", e.updated().toString());
      item.putArray("authors").addObject().put("name", ReportText.author(r));
      ArrayNode tags = item.putArray("tags");
      if (r.district() != null) {
        tags.add(r.district());
      }
      r.tags().forEach(tags::add);
      item.put("language", r.language());
    }
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(feed);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("JSON Feed rendering failed for " + page.path("json"), e);
    }
  }
}
