package org.bulletin.feed.websub;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.bulletin.feed.delivery.UrlGuard;
import org.bulletin.feed.metrics.FeedMetrics;
import org.bulletin.feed.secrets.SecretKeys;
import org.bulletin.feed.secrets.SecretSealer;
import org.bulletin.platform.config.Config;
import org.bulletin.platform.exec.BoundedExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hub's bounds: verifications in flight per instance (503) and subscriptions in all (429). */
class HubServiceLimitsTest {
  private static final String TOPIC = "https://f.test/feeds/reports.atom";
  private final Vertx vertx = Vertx.vertx();
  private final CountDownLatch resolving = new CountDownLatch(1);
  private final BoundedExecutor dns = new BoundedExecutor("test-dns", 2, 10);
  // Resolving blocks until released: a request stays pending meanwhile.
  private final UrlGuard guard = new UrlGuard(false, List.of("127.0.0.1/32"), host -> {
    try {
      resolving.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new InetAddress[] {InetAddress.getLoopbackAddress()}; // never a real host: nothing listens on 443
  });
  private final HubSubscriptions store = new HubSubscriptions();
  private final WebSubSettings settings = WebSubSettings.from(Config.of(Map.of(
      "websub.verify.pending.max", "1", "websub.subscriptions.max", "1")));
  private final HubService service = new HubService(settings, new TopicCatalog("https://f.test", p -> true), store,
      new HubSubscriptionCodec(new SecretSealer(SecretKeys.from(Config.of(Map.of("secrets.keys",
          "k1:zGuKOYE2eX0ttiv18NM8vT0OtLlS4Krt5q8zg0f0N7o="))))),
      new IntentVerifier(vertx, guard, dns, Duration.ofSeconds(1), 256), guard,
      (topic, key, value) -> Future.succeededFuture(new RecordMetadata(new TopicPartition(topic, 0), 0, 0, 0, 0, 0)),
      new FeedMetrics(), Clock.systemUTC());

  @AfterEach
  void close() {
    resolving.countDown();
    dns.close();
    vertx.close().await();
  }

  private static HubRequest subscribe(String callback) {
    return new HubRequest(HubRequest.Mode.SUBSCRIBE, callback, TOPIC, null, null);
  }

  private static int status(Future<Void> answer) {
    Throwable e = answer.cause();
    return e instanceof HubRequestException h ? h.status() : -1;
  }

  @Test
  void beyondThePendingBoundRequestsGet503() {
    Context context = vertx.getOrCreateContext();
    Future<Void> first = service.accept(context, subscribe("https://one.test/cb"));
    assertThat(first.isComplete()).as("still resolving").isFalse();
    Future<Void> second = service.accept(context, subscribe("https://two.test/cb"));
    assertThat(second.failed()).isTrue();
    assertThat(status(second)).isEqualTo(503);
    assertThat(service.pending()).isEqualTo(1);
  }

  @Test
  void aNewSubscriptionBeyondTheBoundGets429ButAnExistingOneMayRenew() {
    Instant now = Instant.now();
    String key = HubSubscription.keyOf(TOPIC, "https://held.test/cb");
    store.apply(key, new HubSubscription(key, TOPIC, "https://held.test/cb", 60, now.plusSeconds(60), null, now, now));
    Future<Void> fresh = service.accept(vertx.getOrCreateContext(), subscribe("https://new.test/cb"));
    assertThat(status(fresh)).isEqualTo(429);
    Future<Void> renewal = service.accept(vertx.getOrCreateContext(), subscribe("https://held.test/cb"));
    assertThat(renewal.failed()).as("a renewal is not refused for the bound").isFalse();
  }

  private HubService service(Map<String, String> config, IntentVerifier verifier, FeedMetrics metrics) {
    return new HubService(WebSubSettings.from(Config.of(config)), new TopicCatalog("https://f.test", p -> true),
        store, new HubSubscriptionCodec(new SecretSealer(SecretKeys.from(Config.of(Map.of("secrets.keys",
            "k1:zGuKOYE2eX0ttiv18NM8vT0OtLlS4Krt5q8zg0f0N7o="))))), verifier, guard,
        (topic, key, value) -> Future.succeededFuture(new RecordMetadata(new TopicPartition(topic, 0), 0, 0, 0, 0, 0)),
        metrics, Clock.systemUTC());
  }

  private static void awaitTrue(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void aVerificationThatFailsAtOnceStillReleasesItsPendingSlot() throws Exception {
    IntentVerifier closed = new IntentVerifier(vertx, guard, dns, Duration.ofSeconds(1), 256);
    closed.close(); // its GET throws at once ("Client is closed"), as in a shutdown
    HubService hub = service(Map.of("websub.verify.pending.max", "1"), closed, new FeedMetrics());
    resolving.countDown();
    Context context = vertx.getOrCreateContext();
    for (int i = 0; i < 3; i++) {
      hub.accept(context, subscribe("https://one.test/cb" + i)).await();
      awaitTrue("the slot released", () -> hub.pending() == 0);
    }
  }

  @Test
  void callbacksAtOneHostBeyondThePerMinuteLimitGet429() {
    HubService hub = service(Map.of("websub.verify.per.host.per.minute", "2", "websub.verify.pending.max", "100"),
        new IntentVerifier(vertx, guard, dns, Duration.ofSeconds(1), 256), new FeedMetrics());
    Context context = vertx.getOrCreateContext();
    assertThat(hub.accept(context, subscribe("https://busy.test/a")).failed()).isFalse();
    assertThat(hub.accept(context, subscribe("https://BUSY.test/b?x=1")).failed()).isFalse();
    assertThat(status(hub.accept(context, subscribe("https://busy.test/c")))).isEqualTo(429);
    assertThat(hub.accept(context, subscribe("https://quiet.test/a")).failed()).as("another host").isFalse();

    // A subscription its callback confirmed can still be renewed while new callbacks flood the host.
    String confirmed = HubSubscription.keyOf(TOPIC, "https://busy.test/confirmed");
    Instant now = Instant.now();
    store.apply(confirmed, new HubSubscription(confirmed, TOPIC, "https://busy.test/confirmed", 3600, now, null, now,
        now));
    assertThat(status(hub.accept(context, subscribe("https://busy.test/d")))).as("still a new callback").isEqualTo(429);
    assertThat(hub.accept(context, subscribe("https://busy.test/confirmed")).failed()).as("a renewal").isFalse();

    // Renewals of many confirmed subscriptions at one host share one budget: naming existing
    // subscriptions does not multiply the GETs the host receives.
    for (String path : java.util.List.of("/c2", "/c3")) {
      String key = HubSubscription.keyOf(TOPIC, "https://busy.test" + path);
      store.apply(key, new HubSubscription(key, TOPIC, "https://busy.test" + path, 3600, now, null, now, now));
    }
    assertThat(hub.accept(context, subscribe("https://busy.test/c2")).failed()).as("the second renewal").isFalse();
    assertThat(status(hub.accept(context, subscribe("https://busy.test/c3")))).as("the third within a minute")
        .isEqualTo(429);
  }

  @Test
  void anUnsubscribeOfASubscriptionThatDoesNotExistSendsNoGet() throws Exception {
    FeedMetrics metrics = new FeedMetrics();
    HubService hub = service(Map.of("websub.verify.pending.max", "100"),
        new IntentVerifier(vertx, guard, dns, Duration.ofSeconds(1), 256), metrics);
    resolving.countDown();
    hub.accept(vertx.getOrCreateContext(), new HubRequest(HubRequest.Mode.UNSUBSCRIBE, "https://third.party/x",
        "https://f.test/feeds/tags/nothing.atom", null, null)).await();
    awaitTrue("handled", () -> hub.pending() == 0);
    assertThat(metrics.scrape()).contains("bulletin_websub_requests_total{mode=\"unsubscribe\",outcome=\"ignored\"} 1.0")
        .doesNotContain("outcome=\"sent\"").doesNotContain("outcome=\"failed\"");
  }

  @Test
  void theSweepRemovesOnlyLeasesEndedLongerThanTheGraceAgo() {
    HubService hub = service(Map.of("websub.expiry.grace", "1h"),
        new IntentVerifier(vertx, guard, dns, Duration.ofSeconds(1), 256), new FeedMetrics());
    Instant now = Instant.now();
    String recent = HubSubscription.keyOf(TOPIC, "https://recent.test/cb");
    String old = HubSubscription.keyOf(TOPIC, "https://old.test/cb");
    store.apply(recent, new HubSubscription(recent, TOPIC, "https://recent.test/cb", 60, now.minusSeconds(60), null,
        now, now));
    store.apply(old, new HubSubscription(old, TOPIC, "https://old.test/cb", 60, now.minusSeconds(7200), null, now, now));
    hub.sweep();
    assertThat(store.get(old)).as("past the grace").isEmpty();
    assertThat(store.get(recent)).as("a renewal may still be on its way").isPresent();
  }
}
