package org.bulletin.feed.websub;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.bulletin.feed.FeedFixture;
import org.bulletin.testkit.KafkaBroker;
import org.bulletin.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No change is lost while no instance runs: a change ingested while the only instance was down
 * reaches the subscriber once an instance is back, although the view's first render after a
 * restart reports no change (the new leader compares the current documents with what was sent).
 */
@ExtendWith(KafkaBrokerExtension.class)
class WebSubRestartIT {
  private static final String BASE = "http://feeds.test";

  @Test
  void aChangeMadeWhileTheOnlyInstanceWasDownIsDeliveredAfterItsRestartAlsoForATopicNeverDistributed(KafkaBroker broker) throws Exception {
    try (FeedFixture support = new FeedFixture(broker.bootstrapServers(), Map.of(
            "webhook.allow.http", "true",
            "webhook.allowlist", "127.0.0.1/32",
            "webhook.retry.schedule", "0s,300ms,300ms,1s",
            "webhook.timeout", "5s",
            "websub.verify.per.host.per.minute", "0"));
        PythonSubscriber subscriber = new PythonSubscriber()) {
      FeedFixture.Feed first = support.startFeed();
      publish(support, "seed-" + UUID.randomUUID());
      await("the first documents", () -> first.get("/feeds/reports.atom").statusCode() == 200);
      await("a distributor", () -> first.verticle().hub().distributing());
      String topic = BASE + "/feeds/reports.atom";
      String name = "restart-" + UUID.randomUUID().toString().substring(0, 8);
      String callback = subscriber.callback(name, "");
      MultiMap form = MultiMap.caseInsensitiveMultiMap().add("hub.mode", "subscribe").add("hub.topic", topic)
          .add("hub.callback", callback);
      assertThat(support.client().post(first.port(), "127.0.0.1", "/websub").sendForm(form).await().statusCode())
          .isEqualTo(202);
      await("verified", () -> listed(first, topic).stream()
          .anyMatch(o -> ((JsonObject) o).getString("callback").equals(callback)));
      String before = publish(support, "before-" + UUID.randomUUID());
      await("the change made while running", () -> delivered(subscriber, name, before));
      // A topic whose subscriber came after its last change: nothing was ever recorded for it.
      String rssTopic = BASE + "/feeds/reports.rss";
      String late = "late-" + UUID.randomUUID().toString().substring(0, 8);
      String lateCallback = subscriber.callback(late, "");
      assertThat(support.client().post(first.port(), "127.0.0.1", "/websub").sendForm(MultiMap.caseInsensitiveMultiMap()
          .add("hub.mode", "subscribe").add("hub.topic", rssTopic).add("hub.callback", lateCallback)).await()
          .statusCode()).isEqualTo(202);
      await("verified late", () -> listed(first, rssTopic).stream()
          .anyMatch(o -> ((JsonObject) o).getString("callback").equals(lateCallback)));

      first.stop();
      String meanwhile = publish(support, "meanwhile-" + UUID.randomUUID());

      FeedFixture.Feed second = support.startFeed();
      try {
        await("the change made while no instance ran", () -> delivered(subscriber, name, meanwhile));
        await("the change of a topic never distributed before", () -> delivered(subscriber, late, meanwhile));
      } finally {
        second.stop();
      }
    }
  }

  private static boolean delivered(PythonSubscriber subscriber, String name, String reportId) {
    return subscriber.posts(name).stream().anyMatch(p -> p.getString("body").contains(reportId));
  }

  private static String publish(FeedFixture support, String id) {
    JsonObject report = new JsonObject().put("id", id).put("title", "Report " + id).put("publishedDate", "2024-05-01")
        .put("body", new JsonArray().add("Body of " + id));
    support.ingest(HttpMethod.POST, "/v1/reports", "application/json", report.encode());
    return id;
  }

  private static JsonArray listed(FeedFixture.Feed feed, String topic) {
    return feed.api(HttpMethod.GET, "/v1/websub/subscriptions?topic=" + URLEncoder.encode(topic, StandardCharsets.UTF_8),
        null).bodyAsJsonObject().getJsonArray("subscriptions");
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
