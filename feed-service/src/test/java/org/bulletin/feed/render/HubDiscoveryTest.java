package org.bulletin.feed.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.bulletin.feed.view.FeedKey;
import org.junit.jupiter.api.Test;

/** WebSub discovery (W3C WebSub 4) in every format of a current document; none on archive pages. */
class HubDiscoveryTest {
  private static final Links LINKS = new Links("https://feeds.example.org", "bulletin.dev,2024");
  private static final FeedKey ERQI = FeedKey.district("Erqi District");
  private final FeedPage current = new FeedPage(ERQI, "Erqi", 0, 0, List.of(), Instant.parse("2024-01-02T00:00:00Z"));
  private final FeedPage archive = new FeedPage(ERQI, "Erqi", 5, 0, List.of(), Instant.parse("2024-01-02T00:00:00Z"));

  @Test
  void theLinkHeaderNamesTheHubAndTheDocumentsOwnUrl() {
    assertThat(LINKS.discoveryHeader(ERQI, "rss")).isEqualTo("<https://feeds.example.org/websub>; rel=\"hub\", "
        + "<https://feeds.example.org/feeds/districts/erqi-district.rss>; rel=\"self\"");
  }

  @Test
  void atomHasHubAndSelfLinks() {
    String atom = new String(new AtomRenderer(LINKS).render(current), StandardCharsets.UTF_8);
    assertThat(atom).contains("<link rel=\"hub\" href=\"https://feeds.example.org/websub\"")
        .contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://feeds.example.org/feeds/districts/erqi-district.atom\"");
    assertThat(new String(new AtomRenderer(LINKS).render(archive), StandardCharsets.UTF_8)).doesNotContain("rel=\"hub\"");
  }

  @Test
  void rssHasAtomHubAndSelfLinksInTheAtomNamespace() {
    String rss = new String(new RssRenderer(LINKS, 5).render(current), StandardCharsets.UTF_8);
    assertThat(rss)
        .contains("<atom:link xmlns:atom=\"http://www.w3.org/2005/Atom\" rel=\"hub\" href=\"https://feeds.example.org/websub\"")
        .contains("<atom:link xmlns:atom=\"http://www.w3.org/2005/Atom\" rel=\"self\" href=\"https://feeds.example.org/feeds/districts/erqi-district.rss\" type=\"application/rss+xml\"");
    assertThat(new String(new RssRenderer(LINKS, 5).render(archive), StandardCharsets.UTF_8)).doesNotContain("rel=\"hub\"");
  }

  @Test
  void jsonFeedListsTheHubInHubs() throws Exception {
    JsonNode json = new ObjectMapper().readTree(new JsonFeedRenderer(LINKS).render(current));
    assertThat(json.get("hubs").toString()).isEqualTo("[{\"type\":\"WebSub\",\"url\":\"https://feeds.example.org/websub\"}]");
    assertThat(json.get("feed_url").asText()).isEqualTo("https://feeds.example.org/feeds/districts/erqi-district.json");
    assertThat(new ObjectMapper().readTree(new JsonFeedRenderer(LINKS).render(archive)).has("hubs")).isFalse();
  }

  @Test
  void withoutAHubNothingAdvertisesOne() throws Exception {
    Links none = new Links("https://feeds.example.org", "bulletin.dev,2024", null);
    assertThat(none.discoveryHeader(ERQI, "atom")).isNull();
    assertThat(new String(new AtomRenderer(none).render(current), StandardCharsets.UTF_8)).doesNotContain("rel=\"hub\"");
    assertThat(new String(new RssRenderer(none, 5).render(current), StandardCharsets.UTF_8)).doesNotContain("rel=\"hub\"");
    assertThat(new ObjectMapper().readTree(new JsonFeedRenderer(none).render(current)).has("hubs")).isFalse();
  }
}
