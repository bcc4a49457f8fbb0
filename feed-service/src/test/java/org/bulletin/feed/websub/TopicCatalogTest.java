package org.bulletin.feed.websub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class TopicCatalogTest {
  private final TopicCatalog catalog = new TopicCatalog("https://feeds.example.org",
      Set.of("/feeds/reports.atom", "/feeds/districts/erqi-district.rss", "/feeds/tags/budget.json")::contains);

  @Test
  void servesExactlyTheSelfUrlsOfCurrentFeedDocuments() {
    assertThat(catalog.judge("https://feeds.example.org/feeds/reports.atom")).isEqualTo(TopicCatalog.Verdict.SERVED);
    assertThat(catalog.judge("https://feeds.example.org/feeds/districts/erqi-district.rss"))
        .isEqualTo(TopicCatalog.Verdict.SERVED);
    assertThat(catalog.judge("https://feeds.example.org/feeds/tags/budget.json")).isEqualTo(TopicCatalog.Verdict.SERVED);
  }

  @Test
  void aFeedShapedUrlWithNoSuchFeedIsNotServed() {
    assertThat(catalog.judge("https://feeds.example.org/feeds/tags/nothing.atom"))
        .isEqualTo(TopicCatalog.Verdict.NOT_SERVED);
  }

  @Test
  void anythingElseIsForeign() {
    for (String topic : new String[] {"https://other.example/feeds/reports.atom",
        "http://feeds.example.org/feeds/reports.atom", "https://feeds.example.org/feeds/reports.atom?x=1",
        "https://feeds.example.org/feeds/reports.atom#top", "https://feeds.example.org/feeds/reports/archive/2024-01.atom",
        "https://feeds.example.org/reports/abc", "https://feeds.example.org/feeds/reports.xml",
        "https://feeds.example.org.evil.test/feeds/reports.atom", "https://feeds.example.org/feeds/../feeds/reports.atom"}) {
      assertThat(catalog.judge(topic)).as(topic).isEqualTo(TopicCatalog.Verdict.FOREIGN);
    }
  }

  @Test
  void aFeedOfTheViewIsServedInEveryFormatWhetherOrNotItsDocumentsAreCached() {
    TopicCatalog ofFeeds = TopicCatalog.ofFeeds("https://feeds.example.org",
        () -> Set.of("/feeds/reports", "/feeds/districts/erqi-district"));
    for (String ext : new String[] {"rss", "atom", "json"}) {
      assertThat(ofFeeds.judge("https://feeds.example.org/feeds/districts/erqi-district." + ext))
          .isEqualTo(TopicCatalog.Verdict.SERVED);
    }
    assertThat(ofFeeds.judge("https://feeds.example.org/feeds/districts/other.atom"))
        .isEqualTo(TopicCatalog.Verdict.NOT_SERVED);
  }
}
