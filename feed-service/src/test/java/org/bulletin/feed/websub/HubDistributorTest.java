package org.bulletin.feed.websub;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.bulletin.feed.serve.CachedDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The one-distributor rules, without a broker: only the leader enqueues; a takeover sends what changed meanwhile. */
class HubDistributorTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final String BASE = "https://f.test";
  private final Vertx vertx = Vertx.vertx();
  private final HubSubscriptions store = new HubSubscriptions();
  private final Map<String, CachedDocument> cache = new ConcurrentHashMap<>();
  private final TopicCatalog catalog = new TopicCatalog(BASE, cache::containsKey);
  private final List<String> enqueued = new CopyOnWriteArrayList<>();
  private final List<String> markers = new CopyOnWriteArrayList<>();
  private volatile boolean failEnqueue;
  private final FakeLeadership leadership = new FakeLeadership();
  private final io.vertx.core.Context context = vertx.getOrCreateContext();
  private final HubDistributor distributor = new HubDistributor(context, store, catalog, leadership,
      (topic, key, value) -> {
        markers.add(key + "=" + new String(value, StandardCharsets.UTF_8));
        return Future.succeededFuture(new RecordMetadata(new TopicPartition(topic, 0), 0, 0, 0, 0, 0));
      }, "markers",
      (topic, doc, subs) -> {
        if (failEnqueue) {
          return Future.failedFuture("broker down");
        }
        subs.forEach(s -> enqueued.add(topic + " " + doc.etag() + " -> " + s.callback()));
        return Future.succeededFuture();
      }, path -> Optional.ofNullable(cache.get(path)), Clock.fixed(NOW, ZoneOffset.UTC));

  static final class FakeLeadership implements Leadership {
    volatile boolean leader;
    final Map<String, String> distributed = new ConcurrentHashMap<>();

    @Override
    public boolean leader() {
      return leader;
    }

    @Override
    public String distributed(String topicUrl) {
      return distributed.get(topicUrl);
    }

    @Override
    public void wrote(String topicUrl, String etag) {
      distributed.put(topicUrl, etag);
    }
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private static CachedDocument doc(String text) {
    return CachedDocument.of(200, "application/atom+xml; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), NOW, NOW);
  }

  private void subscribe(String path, String callback, long leaseSeconds) {
    HubSubscription s = new HubSubscription(HubSubscription.keyOf(BASE + path, callback), BASE + path, callback,
        leaseSeconds, NOW.plusSeconds(leaseSeconds), null, NOW, NOW);
    store.apply(s.key(), s);
  }

  /** Waits until the distributor's context ran what was handed to it (its tasks run in order; the fakes complete at once). */
  private void settle() {
    Future.<Void>future(p -> context.runOnContext(v -> p.complete())).await();
  }

  @Test
  void onlyTheLeaderEnqueuesAChangeToEveryActiveSubscriberThenRecordsIt() {
    subscribe("/feeds/reports.atom", "https://a.test/", 60);
    subscribe("/feeds/reports.atom", "https://expired.test/", -1);
    CachedDocument v1 = doc("<feed>1</feed>");
    distributor.changed(Map.of("/feeds/reports.atom", v1));
    settle();
    assertThat(enqueued).as("not the leader").isEmpty();

    leadership.leader = true;
    distributor.changed(Map.of("/feeds/reports.atom", v1));
    settle();
    assertThat(enqueued).containsExactly(BASE + "/feeds/reports.atom " + v1.etag() + " -> https://a.test/");
    assertThat(markers).containsExactly(BASE + "/feeds/reports.atom=" + v1.etag());
    assertThat(leadership.distributed(BASE + "/feeds/reports.atom")).isEqualTo(v1.etag());
  }

  @Test
  void aTopicWithoutSubscribersIsNeitherEnqueuedNorRecorded() {
    leadership.leader = true;
    distributor.changed(Map.of("/feeds/reports.rss", doc("<rss/>")));
    settle();
    assertThat(enqueued).isEmpty();
    assertThat(markers).isEmpty();
  }

  @Test
  void aFailedEnqueueIsNotRecordedSoTheNextLeaderSendsItAgain() {
    subscribe("/feeds/reports.atom", "https://a.test/", 60);
    leadership.leader = true;
    failEnqueue = true;
    distributor.changed(Map.of("/feeds/reports.atom", doc("<feed>1</feed>")));
    settle();
    assertThat(markers).isEmpty();
  }

  @Test
  void aNewLeaderSendsExactlyTheTopicsThatChangedSinceTheLastRecord() {
    subscribe("/feeds/reports.atom", "https://a.test/", 60);
    subscribe("/feeds/reports.rss", "https://b.test/", 60);
    subscribe("/feeds/tags/budget.json", "https://c.test/", 60);
    CachedDocument atom = doc("<feed>2</feed>");
    CachedDocument rss = doc("<rss>1</rss>");
    cache.put("/feeds/reports.atom", atom);
    cache.put("/feeds/reports.rss", rss);
    cache.put("/feeds/tags/budget.json", doc("{}"));
    leadership.distributed.put(BASE + "/feeds/reports.atom", doc("<feed>1</feed>").etag()); // changed meanwhile
    leadership.distributed.put(BASE + "/feeds/reports.rss", rss.etag()); // unchanged
    // budget.json: never distributed, so its subscriber subscribed after its last change

    leadership.leader = true;
    distributor.tookOver();
    settle();
    assertThat(enqueued).containsExactly(BASE + "/feeds/reports.atom " + atom.etag() + " -> https://a.test/");
  }
}
