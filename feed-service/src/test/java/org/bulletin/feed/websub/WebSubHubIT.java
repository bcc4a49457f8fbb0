package org.bulletin.feed.websub;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.bulletin.feed.FeedFixture;
import org.bulletin.testkit.KafkaBroker;
import org.bulletin.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The hub against an independent subscriber (Python, standard library), in the spirit of
 * websub.rocks' hub tests: discovery, verification of intent, denial, unsubscription, leases.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSubHubIT {
  private static final String BASE = "http://feeds.test";
  private FeedFixture support;
  private FeedFixture.Feed feed;
  private PythonSubscriber subscriber;

  @BeforeAll
  void start(KafkaBroker broker) throws Exception {
    support = new FeedFixture(broker.bootstrapServers(), Map.of(
        "webhook.allow.http", "true",
        "webhook.allowlist", "127.0.0.1/32",
        // A lease the expiry test can see end; the default stays 10 days.
        "websub.lease.min.seconds", "1",
        "websub.expiry.sweep.interval", "300ms",
        "websub.expiry.grace", "2s",
        // Every test callback is on 127.0.0.1; the per-host limit has a test of its own.
        "websub.verify.per.host.per.minute", "0",
        "websub.request.body.limit.bytes", "2048"));
    feed = support.startFeed();
    support.publishSample("erqi-flood-prevention-meeting.txt");
    await("the first feed documents", () -> feed.get("/feeds/districts/erqi-district.atom").statusCode() == 200);
    subscriber = new PythonSubscriber();
  }

  @AfterAll
  void stop() throws Exception {
    if (subscriber != null) {
      subscriber.close();
    }
    support.close();
  }

  private HttpResponse<Buffer> hub(String... params) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i + 1 < params.length; i += 2) {
      form.add(params[i], params[i + 1]);
    }
    return support.client().post(feed.port(), "127.0.0.1", "/websub").sendForm(form).await();
  }

  private JsonArray listed(String topic) {
    HttpResponse<Buffer> r = support.api(HttpMethod.GET, "/v1/websub/subscriptions?topic="
        + URLEncoder.encode(topic, StandardCharsets.UTF_8), null);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject().getJsonArray("subscriptions");
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void everyCurrentFeedDocumentAdvertisesTheHubAndItsOwnUrl() {
    for (String path : List.of("/feeds/reports.atom", "/feeds/reports.rss", "/feeds/reports.json",
        "/feeds/districts/erqi-district.atom", "/feeds/districts/erqi-district.rss",
        "/feeds/districts/erqi-district.json")) {
      HttpResponse<Buffer> r = feed.get(path);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().getAll("Link")).as(path)
          .containsExactly("<" + BASE + "/websub>; rel=\"hub\", <" + BASE + path + ">; rel=\"self\"");
      String body = r.bodyAsString();
      if (path.endsWith(".json")) {
        JsonObject json = new JsonObject(body);
        assertThat(json.getJsonArray("hubs")).containsExactly(
            new JsonObject().put("type", "WebSub").put("url", BASE + "/websub"));
        assertThat(json.getString("feed_url")).isEqualTo(BASE + path);
      } else {
        assertThat(body).contains("rel=\"hub\" href=\"" + BASE + "/websub\"")
            .contains("href=\"" + BASE + path + "\"");
      }
    }
    HttpResponse<Buffer> notModified = feed.get("/feeds/reports.atom", "If-None-Match",
        feed.get("/feeds/reports.atom").getHeader("ETag"));
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.getHeader("Link")).contains("rel=\"hub\"");
  }

  @Test
  void aSubscriptionIsActiveOnlyAfterTheCallbackEchoesTheChallengeWithItsOwnQueryKept() throws Exception {
    String name = unique("plain");
    String topic = BASE + "/feeds/reports.atom";
    String callback = subscriber.callback(name, "token=abc&x=1");
    HttpResponse<Buffer> r = hub("hub.mode", "subscribe", "hub.topic", topic, "hub.callback", callback,
        "hub.unknown", "ignored", "utm_source", "x");
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
    await("verified", () -> listed(topic).stream().anyMatch(o -> ((JsonObject) o).getString("callback").equals(callback)));

    JsonObject get = subscriber.gets(name).get(0).getJsonObject("query");
    assertThat(get.getString("hub.mode")).isEqualTo("subscribe");
    assertThat(get.getString("hub.topic")).isEqualTo(topic);
    assertThat(get.getString("hub.lease_seconds")).isEqualTo("864000");
    assertThat(get.getString("token")).isEqualTo("abc");
    assertThat(get.getString("x")).isEqualTo("1");
    JsonObject listedOne = listed(topic).stream().map(JsonObject.class::cast)
        .filter(o -> o.getString("callback").equals(callback)).findFirst().orElseThrow();
    assertThat(listedOne.getString("state")).isEqualTo("active");
    assertThat(listedOne.getBoolean("signed")).isFalse();
    assertThat(listedOne.getLong("leaseSeconds")).isEqualTo(864_000L);
  }

  @Test
  void aCallbackThatDoesNotEchoTheChallengeIsNotSubscribed() throws Exception {
    String topic = BASE + "/feeds/reports.rss";
    String wrong = subscriber.callback(unique("wrong"), "");
    String refusing = subscriber.callback(unique("refuse"), "");
    String witness = subscriber.callback(unique("witness"), "");
    assertThat(hub("hub.mode", "subscribe", "hub.topic", topic, "hub.callback", wrong).statusCode()).isEqualTo(202);
    assertThat(hub("hub.mode", "subscribe", "hub.topic", topic, "hub.callback", refusing).statusCode()).isEqualTo(202);
    // A third, verifiable request: once it is listed, the two before it were verified too (and failed).
    assertThat(hub("hub.mode", "subscribe", "hub.topic", topic, "hub.callback", witness).statusCode()).isEqualTo(202);
    await("the witness verified", () -> listed(topic).stream()
        .anyMatch(o -> ((JsonObject) o).getString("callback").equals(witness)));
    await("both asked", () -> subscriber.gets(wrong.substring(wrong.lastIndexOf('/') + 1)).size() == 1
        && subscriber.gets(refusing.substring(refusing.lastIndexOf('/') + 1)).size() == 1);
    // The hub counted both as failed: a failed verification writes nothing, so the listing is final.
    await("both failed", () -> metric("bulletin_websub_requests_total{mode=\"subscribe\",outcome=\"failed\"}") >= 2);
    assertThat(listed(topic)).extracting(o -> ((JsonObject) o).getString("callback"))
        .doesNotContain(wrong, refusing);
  }

  @Test
  void aSecretIsKeptSealedAndTheSubscriptionIsSigned() throws Exception {
    String name = unique("signed");
    String topic = BASE + "/feeds/districts/erqi-district.json";
    String secret = "s3cret-" + UUID.randomUUID();
    subscriber.secret(name, secret);
    String callback = subscriber.callback(name, "");
    assertThat(hub("hub.mode", "subscribe", "hub.topic", topic, "hub.callback", callback, "hub.secret", secret,
        "hub.lease_seconds", "7200").statusCode()).isEqualTo(202);
    await("verified", () -> !listed(topic).isEmpty());
    JsonObject s = listed(topic).getJsonObject(0);
    assertThat(s.getBoolean("signed")).isTrue();
    assertThat(s.getLong("leaseSeconds")).isEqualTo(7200L);
    assertThat(s.encode()).doesNotContain(secret);
    assertThat(subscriber.gets(name).get(0).getJsonObject("query").getString("hub.lease_seconds")).isEqualTo("7200");
  }

  @Test
  void unsubscribingIsVerifiedAndRemovesTheSubscription() throws Exception {
    String name = unique("leaving");
    String topic = BASE + "/feeds/districts/erqi-district.rss";
    String callback = subscriber.callback(name, "");
    assertThat(hub("hub.mode", "subscribe", "hub.topic", topic, "hub.callback", callback).statusCode()).isEqualTo(202);
    await("subscribed", () -> listed(topic).stream().anyMatch(o -> ((JsonObject) o).getString("callback").equals(callback)));
    assertThat(hub("hub.mode", "unsubscribe", "hub.topic", topic, "hub.callback", callback).statusCode()).isEqualTo(202);
    await("unsubscribed", () -> listed(topic).stream().noneMatch(o -> ((JsonObject) o).getString("callback").equals(callback)));
    JsonObject unsubscribe = subscriber.gets(name).get(1).getJsonObject("query");
    assertThat(unsubscribe.getString("hub.mode")).isEqualTo("unsubscribe");
    assertThat(unsubscribe.getString("hub.topic")).isEqualTo(topic);
    assertThat(unsubscribe.getString("hub.challenge")).isNotBlank();
  }

  @Test
  void aTopicShapedLikeAFeedThatDoesNotExistIsDenied() throws Exception {
    String name = unique("denied");
    String topic = BASE + "/feeds/tags/no-such-tag-anywhere.atom";
    assertThat(hub("hub.mode", "subscribe", "hub.topic", topic, "hub.callback", subscriber.callback(name, ""))
        .statusCode()).isEqualTo(202);
    await("denied", () -> !subscriber.gets(name).isEmpty());
    JsonObject denied = subscriber.gets(name).get(0).getJsonObject("query");
    assertThat(denied.getString("hub.mode")).isEqualTo("denied");
    assertThat(denied.getString("hub.topic")).isEqualTo(topic);
    assertThat(denied.getString("hub.reason")).isNotBlank();
    assertThat(denied.containsKey("hub.challenge")).isFalse();
    assertThat(listed(topic)).isEmpty();
  }

  @Test
  void badRequestsGetAPlainTextReason() {
    String callback = subscriber.callback("never", "");
    String topic = BASE + "/feeds/reports.atom";
    assertRefused(hub("hub.topic", topic, "hub.callback", callback), 400, "hub.mode");
    assertRefused(hub("hub.mode", "publish", "hub.topic", topic, "hub.callback", callback), 400, "hub.mode");
    assertRefused(hub("hub.mode", "subscribe", "hub.callback", callback), 400, "hub.topic is missing");
    assertRefused(hub("hub.mode", "subscribe", "hub.topic", topic), 400, "hub.callback is missing");
    assertRefused(hub("hub.mode", "subscribe", "hub.topic", "https://elsewhere.example/feed.atom",
        "hub.callback", callback), 400, "not a feed of this hub");
    assertRefused(hub("hub.mode", "subscribe", "hub.topic", BASE + "/feeds/reports/archive/2024-01.atom",
        "hub.callback", callback), 400, "not a feed of this hub");
    assertRefused(hub("hub.mode", "subscribe", "hub.topic", topic, "hub.callback", "http://10.20.30.40/cb"),
        400, "private");
    assertRefused(hub("hub.mode", "subscribe", "hub.topic", topic, "hub.callback", callback,
        "hub.secret", "x".repeat(200)), 400, "200 bytes");
    assertRefused(hub("hub.mode", "subscribe", "hub.topic", topic, "hub.callback", callback,
        "hub.lease_seconds", "soon"), 400, "hub.lease_seconds");
    assertRefused(hub("hub.mode", "subscribe", "hub.topic", topic, "hub.callback", callback,
        "padding", "x".repeat(3000)), 413, "bytes");
    HttpResponse<Buffer> json = support.client().post(feed.port(), "127.0.0.1", "/websub")
        .sendJsonObject(new JsonObject().put("hub.mode", "subscribe")).await();
    assertRefused(json, 415, "form");
    for (String unreadable : List.of("hub.mode=%ZZ&hub.topic=x", "f=1&".repeat(400) + "hub.mode=subscribe")) {
      HttpResponse<Buffer> form = support.client().post(feed.port(), "127.0.0.1", "/websub")
          .putHeader("Content-Type", "application/x-www-form-urlencoded").sendBuffer(Buffer.buffer(unreadable)).await();
      assertRefused(form, 400, "not a readable form");
    }
    assertThat(subscriber.seen("never")).isEmpty();
  }

  private static void assertRefused(HttpResponse<Buffer> r, int status, String reason) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.getHeader("Content-Type")).startsWith("text/plain");
    assertThat(r.bodyAsString()).contains(reason);
  }

  @Test
  void aSubscriptionWhoseLeaseEndedGetsNoDeliveryAndIsRemovedAfterTheGrace() throws Exception {
    String name = unique("short");
    String control = unique("control");
    String topic = BASE + "/feeds/reports.json";
    String callback = subscriber.callback(name, "");
    String controlCallback = subscriber.callback(control, "");
    assertThat(hub("hub.mode", "subscribe", "hub.topic", topic, "hub.callback", controlCallback).statusCode())
        .isEqualTo(202);
    assertThat(hub("hub.mode", "subscribe", "hub.topic", topic, "hub.callback", callback, "hub.lease_seconds", "3")
        .statusCode()).isEqualTo(202);
    await("subscribed", () -> listed(topic).stream().map(JsonObject.class::cast)
        .filter(o -> o.getString("callback").equals(callback) || o.getString("callback").equals(controlCallback))
        .count() == 2);
    assertThat(subscriber.gets(name).get(0).getJsonObject("query").getString("hub.lease_seconds")).isEqualTo("3");
    await("expired", () -> listed(topic).stream().map(JsonObject.class::cast)
        .noneMatch(o -> o.getString("callback").equals(callback) && o.getString("state").equals("active")));

    String id = support.publishJson(unique("after-expiry"));
    // Positive control: the change reached the subscriber whose lease runs, so it was distributed.
    await("the control's delivery", () -> subscriber.posts(control).stream()
        .anyMatch(p -> p.getString("body").contains(id)));
    assertThat(subscriber.posts(name)).as("nothing after the lease ended").isEmpty();
    await("removed after websub.expiry.grace", () -> listed(topic).stream()
        .noneMatch(o -> ((JsonObject) o).getString("callback").equals(callback)));
  }

  @Test
  void theAdminListingPagesWithALimitAndACursor() throws Exception {
    String topic = BASE + "/feeds/districts/erqi-district.atom";
    List<String> callbacks = List.of(subscriber.callback(unique("page"), ""), subscriber.callback(unique("page"), ""),
        subscriber.callback(unique("page"), ""));
    for (String callback : callbacks) {
      assertThat(hub("hub.mode", "subscribe", "hub.topic", topic, "hub.callback", callback).statusCode())
          .isEqualTo(202);
    }
    await("all listed", () -> listed(topic).size() >= 3);
    java.util.List<String> seen = new java.util.ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      HttpResponse<Buffer> r = support.api(HttpMethod.GET, "/v1/websub/subscriptions?limit=1&topic="
          + URLEncoder.encode(topic, StandardCharsets.UTF_8) + (cursor == null ? "" : "&cursor=" + cursor), null);
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
      JsonArray page = r.bodyAsJsonObject().getJsonArray("subscriptions");
      assertThat(page.size()).isLessThanOrEqualTo(1);
      page.forEach(o -> seen.add(((JsonObject) o).getString("callback")));
      cursor = r.bodyAsJsonObject().getString("nextCursor");
      pages++;
    } while (cursor != null && pages < 100);
    assertThat(seen).doesNotHaveDuplicates().containsAll(callbacks).hasSize(listed(topic).size());
    assertThat(support.api(HttpMethod.GET, "/v1/websub/subscriptions?limit=501&topic=x", null).statusCode())
        .isEqualTo(400);
    String notACursor = java.util.Base64.getUrlEncoder().encodeToString("not-a-cursor".getBytes(StandardCharsets.UTF_8));
    assertThat(support.api(HttpMethod.GET, "/v1/websub/subscriptions?topic=x&cursor=" + notACursor, null)
        .statusCode()).isEqualTo(400);
    assertThat(support.api(HttpMethod.GET, "/v1/websub/subscriptions?topic=x&cursor=%%%", null).statusCode())
        .as("a malformed query").isEqualTo(400);
  }

  private double metric(String series) {
    String text = support.client().get(feed.managementPort(), "127.0.0.1", "/metrics").send().await().bodyAsString();
    return text.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(
        l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  void theAdminListingNeedsAnAdminToken() {
    HttpResponse<Buffer> r = support.apiWithoutToken(HttpMethod.GET, "/v1/websub/subscriptions?topic=x");
    assertThat(r.statusCode()).isEqualTo(401);
  }
}
