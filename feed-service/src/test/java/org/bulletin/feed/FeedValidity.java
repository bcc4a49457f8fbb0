package org.bulletin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rometools.rome.feed.atom.Feed;
import com.rometools.rome.feed.rss.Channel;
import com.rometools.rome.feed.rss.Item;
import com.rometools.rome.io.WireFeedInput;
import java.io.StringReader;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The W3C Feed Validation Service's main rules, checked on what the service really served:
 * well-formed XML of the right version, required elements, RFC 822 / RFC 3339 dates, a self link,
 * non-permalink guids, entry ids, authors.
 */
final class FeedValidity {
  private static final Pattern RFC822 = Pattern.compile("<(?:pubDate|lastBuildDate)>([^<]+)</");
  private static final Pattern RFC3339 = Pattern.compile("<(?:updated|published)>([^<]+)</");

  private FeedValidity() {}

  static Channel rss(String xml) throws Exception {
    WireFeedInput input = new WireFeedInput();
    Channel channel = (Channel) input.build(new StringReader(xml));
    assertThat(channel.getFeedType()).isEqualTo("rss_2.0");
    assertThat(channel.getTitle()).isNotBlank();
    assertThat(channel.getLink()).startsWith("http");
    assertThat(channel.getDescription()).isNotBlank();
    assertThat(xml).containsPattern("<atom:link [^>]*rel=\"self\"");
    for (Item item : channel.getItems()) {
      assertThat(item.getTitle()).isNotBlank();
      assertThat(item.getGuid().isPermaLink()).isFalse();
      assertThat(item.getGuid().getValue()).startsWith("tag:");
    }
    Matcher m = RFC822.matcher(xml);
    while (m.find()) {
      ZonedDateTime.parse(m.group(1), DateTimeFormatter.RFC_1123_DATE_TIME);
    }
    assertThat(xml).contains("<dc:creator>");
    return channel;
  }

  static Feed atom(String xml) throws Exception {
    Feed feed = (Feed) new WireFeedInput().build(new StringReader(xml));
    assertThat(feed.getFeedType()).isEqualTo("atom_1.0");
    assertThat(feed.getId()).startsWith("tag:");
    assertThat(feed.getUpdated()).isNotNull();
    assertThat(feed.getOtherLinks()).anySatisfy(l -> assertThat(l.getRel()).isEqualTo("self"));
    assertThat(feed.getAuthors()).isNotEmpty();
    for (com.rometools.rome.feed.atom.Entry e : feed.getEntries()) {
      assertThat(e.getId()).startsWith("tag:");
      assertThat(e.getUpdated()).isNotNull();
      assertThat(e.getTitleEx().getValue()).isNotBlank();
      assertThat(e.getAuthors()).isNotEmpty();
    }
    Matcher m = RFC3339.matcher(xml);
    while (m.find()) {
      OffsetDateTime.parse(m.group(1));
    }
    return feed;
  }

  static JsonNode json(String text) throws Exception {
    JsonNode feed = new ObjectMapper().readTree(text);
    assertThat(feed.path("version").asText()).isEqualTo("https://jsonfeed.org/version/1.1");
    assertThat(feed.path("title").asText()).isNotBlank();
    assertThat(feed.path("feed_url").asText()).startsWith("http");
    for (JsonNode item : feed.path("items")) {
      assertThat(item.path("id").asText()).startsWith("tag:");
      OffsetDateTime.parse(item.path("date_modified").asText());
    }
    return feed;
  }
}
