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
      }, path -> this.unavailable.remove(path) ? Future.failedFuture("content unavailable")
          : Future.succeededFuture(Optional.ofNullable(cache.get(path))), () -> this.rendered,
      Clock.fixed(NOW, ZoneOffset.UTC));
  private volatile boolean rendered = true;
  // Paths whose next lookup fails (once), as when Kafka does not give a document's content back in time.
  private final java.util.Set<String> unavailable = ConcurrentHashMap.newKeySet();

  static final class FakeLeadership implements Leadership {
    volatile boolean leader;
    final Map<String, DistributionMarker> distributed = new ConcurrentHashMap<>();

    @Override
    public boolean leader() {
      return leader;
    }

    @Override
    public DistributionMarker distributed(String topicUrl) {
      return distributed.get(topicUrl);
    }

    @Override
    public void wrote(String topicUrl, DistributionMarker marker) {
      distributed.put(topicUrl, marker);
    }
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private static CachedDocument doc(String text) {
    return doc(text, NOW);
  }

  private static CachedDocument doc(String text, Instant lastModified) {
    return CachedDocument.of(200, "application/atom+xml; charset=utf-8", text.getBytes(StandardCharsets.UTF_8),
        lastModified, NOW);
  }

  private static DistributionMarker marker(CachedDocument doc) {
    return new DistributionMarker(doc.etag(), doc.lastModified());
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
    assertThat(markers).containsExactly(BASE + "/feeds/reports.atom=" + NOW.toEpochMilli() + " " + v1.etag());
    assertThat(leadership.distributed(BASE + "/feeds/reports.atom")).isEqualTo(marker(v1));
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
  void aNewLeaderSendsEveryChangedOrUnrecordedTopicWithSubscribersButNothingOlderOrUnchanged() {
    subscribe("/feeds/reports.atom", "https://a.test/", 60);
    subscribe("/feeds/reports.rss", "https://b.test/", 60);
    subscribe("/feeds/tags/budget.json", "https://c.test/", 60);
    subscribe("/feeds/tags/roads.atom", "https://d.test/", 60);
    subscribe("/feeds/tags/parks.atom", "https://expired.test/", -1);
    CachedDocument atom = doc("<feed>2</feed>");
    CachedDocument rss = doc("<rss>1</rss>");
    CachedDocument budget = doc("{}");
    CachedDocument roads = doc("<feed>old</feed>", NOW.minusSeconds(60));
    cache.put("/feeds/reports.atom", atom);
    cache.put("/feeds/reports.rss", rss);
    cache.put("/feeds/tags/budget.json", budget);
    cache.put("/feeds/tags/roads.atom", roads);
    cache.put("/feeds/tags/parks.atom", doc("<feed>p</feed>"));
    leadership.distributed.put(BASE + "/feeds/reports.atom", marker(doc("<feed>1</feed>", NOW.minusSeconds(5))));
    leadership.distributed.put(BASE + "/feeds/reports.rss", marker(rss)); // unchanged
    // budget.json: never recorded (e.g. the previous leader's enqueue failed): sent
    // roads.atom: this instance's view lags the one that sent a newer document: not sent
    leadership.distributed.put(BASE + "/feeds/tags/roads.atom", marker(doc("<feed>new</feed>")));

    leadership.leader = true;
    distributor.tookOver();
    settleTakeover();
    assertThat(enqueued).containsExactlyInAnyOrder(
        BASE + "/feeds/reports.atom " + atom.etag() + " -> https://a.test/",
        BASE + "/feeds/tags/budget.json " + budget.etag() + " -> https://c.test/");
  }

  @Test
  void aNewLeaderWaitsForTheViewsFirstRenderBeforeItComparesDocuments() throws Exception {
    subscribe("/feeds/reports.atom", "https://a.test/", 60);
    leadership.distributed.put(BASE + "/feeds/reports.atom", marker(doc("<feed>1</feed>", NOW.minusSeconds(5))));
    rendered = false; // the cache still holds nothing newer: the restarted view has not rendered
    leadership.leader = true;
    distributor.tookOver();
    settle();
    assertThat(enqueued).isEmpty();

    CachedDocument changedWhileDown = doc("<feed>2</feed>");
    cache.put("/feeds/reports.atom", changedWhileDown);
    rendered = true;
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (enqueued.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(enqueued).containsExactly(BASE + "/feeds/reports.atom " + changedWhileDown.etag() + " -> https://a.test/");
  }

  @Test
  void aChangeWhileTheSubscriptionsAreStillLoadingIsRetriedNotDroppedAsHavingNoSubscriber() throws Exception {
    leadership.leader = true;
    rendered = false; // stands for the subscriptions topic not read to its end yet
    CachedDocument change = doc("<feed>while loading</feed>");
    distributor.changed(Map.of("/feeds/reports.atom", change));
    settle();
    assertThat(enqueued).isEmpty();

    subscribe("/feeds/reports.atom", "https://a.test/", 60);
    rendered = true;
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (enqueued.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(enqueued).containsExactly(BASE + "/feeds/reports.atom " + change.etag() + " -> https://a.test/");
  }

  @Test
  void aLeaderNeverSendsADocumentOlderThanTheOneRecorded() {
    subscribe("/feeds/reports.atom", "https://a.test/", 60);
    leadership.distributed.put(BASE + "/feeds/reports.atom", marker(doc("<feed>new</feed>")));
    leadership.leader = true;
    distributor.changed(Map.of("/feeds/reports.atom", doc("<feed>old</feed>", NOW.minusSeconds(1))));
    settle();
    assertThat(enqueued).isEmpty();
    CachedDocument newer = doc("<feed>newer</feed>", NOW.plusSeconds(1));
    distributor.changed(Map.of("/feeds/reports.atom", newer));
    settle();
    assertThat(enqueued).containsExactly(BASE + "/feeds/reports.atom " + newer.etag() + " -> https://a.test/");
  }

  @Test
  void aTopicWhoseDocumentCouldNotBeHadOnTakeoverIsTriedAgain() throws Exception {
    subscribe("/feeds/reports.atom", "https://a.test/", 60);
    CachedDocument current = doc("<feed>2</feed>");
    cache.put("/feeds/reports.atom", current);
    unavailable.add("/feeds/reports.atom");
    leadership.leader = true;
    distributor.tookOver();
    settleTakeover();
    assertThat(enqueued).as("the first lookup failed").isEmpty();
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (enqueued.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(enqueued).containsExactly(BASE + "/feeds/reports.atom " + current.etag() + " -> https://a.test/");
  }

  /** The takeover goes topic by topic, each a task of its own on the context: settles each. */
  private void settleTakeover() {
    for (int i = 0; i < 20; i++) {
      settle();
    }
  }
}
