package org.bulletin.feed.websub;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.bulletin.feed.FeedSettings;
import org.bulletin.feed.metrics.FeedMetrics;
import org.bulletin.feed.serve.DocumentCache;
import org.bulletin.feed.serve.DocumentStore;
import org.bulletin.feed.view.Change;
import org.bulletin.feed.view.EntryKey;
import org.bulletin.platform.config.Config;
import org.bulletin.schema.MeetingReport;
import org.junit.jupiter.api.Test;

/** A topic is a feed of the view, not a document that happens to be cached (feed.pinned.bytes evicts them). */
class TopicsOfTheViewTest {
  private static final String BASE = "http://feeds.test";
  // Nothing but the all-reports feed fits: district and tag documents go to a page cache too small to keep them.
  private final DocumentCache cache = new DocumentCache(100, 1);
  private final DocumentStore store = new DocumentStore(FeedSettings.from(Config.of(Map.of(
      "feed.base.url", BASE))), cache, new FeedMetrics(), new org.bulletin.feed.content.ReportFetcher() {
        @Override
        public Map<Long, MeetingReport> fetch(long[] positions) {
          return Map.of();
        }

        @Override
        public void close() {}
      });
  private final TopicCatalog catalog = TopicCatalog.ofFeeds(BASE, store::feedPaths);

  @Test
  void aDistrictFeedEvictedFromTheCacheIsStillAServedTopic() {
    MeetingReport r = new MeetingReport("r1", "Budget", LocalDate.of(2024, 5, 1), null, "Erqi District", null, null,
        null, null, List.of("Body"), null, List.of("economy"), "en");
    assertThat(catalog.judge(BASE + "/feeds/districts/erqi-district.atom")).isEqualTo(TopicCatalog.Verdict.NOT_SERVED);

    store.apply(List.of(new Change.Upsert(r, Instant.parse("2024-05-01T10:00:00Z"),
        new EntryKey(1_700_000_000_000L, 0, 1))), true);

    assertThat(cache.get("/feeds/districts/erqi-district.atom")).as("evicted").isEmpty();
    assertThat(cache.get("/feeds/tags/economy.rss")).as("evicted").isEmpty();
    for (String topic : List.of("/feeds/districts/erqi-district.atom", "/feeds/districts/erqi-district.rss",
        "/feeds/tags/economy.json", "/feeds/reports.atom")) {
      assertThat(catalog.judge(BASE + topic)).as(topic).isEqualTo(TopicCatalog.Verdict.SERVED);
    }
    assertThat(catalog.judge(BASE + "/feeds/districts/zhongyuan-district.atom"))
        .isEqualTo(TopicCatalog.Verdict.NOT_SERVED);
    assertThat(store.renderOnDemand("/feeds/districts/erqi-district.atom")).as("rendered again on request")
        .hasValueSatisfying(d -> assertThat(d.status()).isEqualTo(200));
  }
}
