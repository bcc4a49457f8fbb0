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
 * Content distribution through the shared delivery engine, checked by the independent Python
 * subscriber (it verifies X-Hub-Signature itself): each change of a topic's document reaches each
 * active subscriber once, with the topic's exact Content-Type and Link headers.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSubDistributionIT {
  private static final String BASE = "http://feeds.test";
  private FeedFixture support;
  private FeedFixture.Feed feed;
  private PythonSubscriber subscriber;

  @BeforeAll
  void start(KafkaBroker broker) throws Exception {
    support = new FeedFixture(broker.bootstrapServers(), Map.of(
        "webhook.allow.http", "true",
        "webhook.allowlist", "127.0.0.1/32",
        "webhook.retry.schedule", "0s,300ms,300ms,1s",
        "webhook.timeout", "5s",
        "websub.verify.per.host.per.minute", "0")); // every test callback is on 127.0.0.1
    feed = support.startFeed();
    publish("seed-" + UUID.randomUUID(), "Erqi District");
    await("the first feed documents", () -> feed.get("/feeds/districts/erqi-district.rss").statusCode() == 200);
    await("a distributor", () -> feed.verticle().hub().distributing());
    subscriber = new PythonSubscriber();
  }

  @AfterAll
  void stop() throws Exception {
    if (subscriber != null) {
      subscriber.close();
    }
    support.close();
  }

  private String publish(String id, String district) {
    JsonObject report = new JsonObject().put("id", id).put("title", "Report " + id).put("publishedDate", "2024-05-01")
        .put("body", new JsonArray().add("Body of " + id));
    if (district != null) {
      report.put("district", district);
    }
    support.ingest(HttpMethod.POST, "/v1/reports", "application/json", report.encode());
    return id;
  }

  private void subscribe(String topic, String callback, String... extra) throws InterruptedException {
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("hub.mode", "subscribe").add("hub.topic", topic)
        .add("hub.callback", callback);
    for (int i = 0; i + 1 < extra.length; i += 2) {
      form.add(extra[i], extra[i + 1]);
    }
    HttpResponse<Buffer> r = support.client().post(feed.port(), "127.0.0.1", "/websub").sendForm(form).await();
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
    await("verified " + callback, () -> listed(topic).stream()
        .anyMatch(o -> ((JsonObject) o).getString("callback").equals(callback)));
  }

  private void unsubscribe(String topic, String callback) throws InterruptedException {
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("hub.mode", "unsubscribe").add("hub.topic", topic)
        .add("hub.callback", callback);
    assertThat(support.client().post(feed.port(), "127.0.0.1", "/websub").sendForm(form).await().statusCode())
        .isEqualTo(202);
    await("unsubscribed " + callback, () -> listed(topic).stream()
        .noneMatch(o -> ((JsonObject) o).getString("callback").equals(callback)));
  }

  private JsonArray listed(String topic) {
    HttpResponse<Buffer> r = support.api(HttpMethod.GET, "/v1/websub/subscriptions?topic="
        + URLEncoder.encode(topic, StandardCharsets.UTF_8), null);
    return r.bodyAsJsonObject().getJsonArray("subscriptions");
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private List<JsonObject> postsWith(String name, String reportId) {
    return subscriber.posts(name).stream().filter(p -> p.getString("body").contains(reportId)).toList();
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void eachFormatGetsTheFullDocumentWithItsExactContentTypeAndLinksUnsignedWithoutASecret() throws Exception {
    String atom = unique("atom");
    String rss = unique("rss");
    String json = unique("json");
    subscribe(BASE + "/feeds/reports.atom", subscriber.callback(atom, ""));
    subscribe(BASE + "/feeds/districts/erqi-district.rss", subscriber.callback(rss, ""));
    subscribe(BASE + "/feeds/reports.json", subscriber.callback(json, "via=json"));

    String id = publish(unique("report"), "Erqi District");
    await("three deliveries", () -> !postsWith(atom, id).isEmpty() && !postsWith(rss, id).isEmpty()
        && !postsWith(json, id).isEmpty());

    Map<String, String> types = Map.of(atom, "application/atom+xml; charset=utf-8",
        rss, "application/rss+xml; charset=utf-8", json, "application/feed+json; charset=utf-8");
    Map<String, String> paths = Map.of(atom, "/feeds/reports.atom", rss, "/feeds/districts/erqi-district.rss",
        json, "/feeds/reports.json");
    for (String name : List.of(atom, rss, json)) {
      JsonObject post = postsWith(name, id).get(0);
      HttpResponse<Buffer> served = feed.get(paths.get(name));
      assertThat(post.getString("contentType")).isEqualTo(types.get(name)).isEqualTo(served.getHeader("Content-Type"));
      assertThat(post.getJsonArray("links").getList()).containsExactly(
          "<" + BASE + "/websub>; rel=\"hub\"", "<" + BASE + paths.get(name) + ">; rel=\"self\"");
      assertThat(post.getString("signature")).as("no secret, no signature").isNull();
      assertThat(post.getString("body")).as("the full document").isEqualTo(served.bodyAsString());
    }
  }

  @Test
  void aSubscriptionWithASecretIsSignedSoTheSubscriberCanCheckIt() throws Exception {
    String name = unique("signed");
    String secret = "secret-" + UUID.randomUUID();
    subscriber.secret(name, secret);
    subscribe(BASE + "/feeds/districts/erqi-district.atom", subscriber.callback(name, ""), "hub.secret", secret);
    String id = publish(unique("report"), "Erqi District");
    await("a delivery", () -> !postsWith(name, id).isEmpty());
    JsonObject post = postsWith(name, id).get(0);
    assertThat(post.getString("signature")).startsWith("sha256=");
    assertThat(post.getBoolean("signatureValid")).as("checked by the subscriber, not the hub").isTrue();
    String topic = BASE + "/feeds/districts/erqi-district.atom";
    await("the attempt in the admins' listing", () -> listed(topic).stream().map(JsonObject.class::cast)
        .anyMatch(o -> o.getString("callback").equals(subscriber.callback(name, ""))
            && o.getJsonObject("attempts").getLong("delivered") >= 1
            && o.getJsonObject("attempts").getJsonObject("last").getInteger("status") == 204));
  }

  @Test
  void reSubscribingGivesOneDeliveryPerChangeAndUnsubscribingStopsThem() throws Exception {
    String topic = BASE + "/feeds/reports.rss";
    String twice = unique("twice");
    String leaving = unique("leaving");
    subscribe(topic, subscriber.callback(twice, ""));
    subscribe(topic, subscriber.callback(twice, ""), "hub.lease_seconds", "7200");
    subscribe(topic, subscriber.callback(leaving, ""));
    unsubscribe(topic, subscriber.callback(leaving, ""));

    String id = publish(unique("report"), null);
    await("the delivery", () -> !postsWith(twice, id).isEmpty());
    // Positive control: a later change arrives; a second delivery of the first, were there one,
    // was queued before it at the same endpoint.
    String next = publish(unique("report"), null);
    await("the next delivery", () -> !postsWith(twice, next).isEmpty());
    assertThat(postsWith(twice, id).stream().filter(p -> !p.getString("body").contains(next))).hasSize(1);
    assertThat(subscriber.posts(leaving)).isEmpty();
    assertThat(listed(topic).stream().map(JsonObject.class::cast)
        .filter(o -> o.getString("callback").equals(subscriber.callback(twice, ""))).toList())
        .singleElement().satisfies(o -> assertThat(o.getLong("leaseSeconds")).isEqualTo(7200L));
  }

  @Test
  void aCallbackAnswering410EndsItsSubscription() throws Exception {
    String topic = BASE + "/feeds/reports.atom";
    String gone = subscriber.callback(unique("gone"), "");
    subscribe(topic, gone);
    publish(unique("report"), null);
    await("removed after 410", () -> listed(topic).stream()
        .noneMatch(o -> ((JsonObject) o).getString("callback").equals(gone)));
  }

  @Test
  void twoInstancesShareTheSubscriptionsAndDeliverEachChangeOnce() throws Exception {
    FeedFixture.Feed second = support.startFeed();
    try {
      String topic = BASE + "/feeds/reports.json";
      String name = unique("shared");
      String callback = subscriber.callback(name, "");
      MultiMap form = MultiMap.caseInsensitiveMultiMap().add("hub.mode", "subscribe").add("hub.topic", topic)
          .add("hub.callback", callback);
      // Accepted by the second instance; listed by the first (the API's), which read it from the topic.
      assertThat(support.client().post(second.port(), "127.0.0.1", "/websub").sendForm(form).await().statusCode())
          .isEqualTo(202);
      await("listed on the other instance", () -> listed(topic).stream()
          .anyMatch(o -> ((JsonObject) o).getString("callback").equals(callback)));
      assertThat(subscriber.gets(name)).as("verified once, by the instance that accepted it").hasSize(1);
      await("one distributor", () -> feed.verticle().hub().distributing() != second.verticle().hub().distributing());

      String id = publish(unique("report"), null);
      await("the delivery", () -> !postsWith(name, id).isEmpty());
      String next = publish(unique("report"), null); // positive control, as above
      await("the next delivery", () -> !postsWith(name, next).isEmpty());
      assertThat(postsWith(name, id).stream().filter(p -> !p.getString("body").contains(next)))
          .as("one delivery per change across both instances").hasSize(1);
      assertThat(subscriber.gets(name)).hasSize(1);
    } finally {
      second.stop();
    }
  }
}
