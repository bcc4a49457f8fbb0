package org.bulletin.feed.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bulletin.feed.FeedFixture;
import org.bulletin.feed.delivery.DeliveryJson;
import org.bulletin.schema.EventJson;
import org.bulletin.testkit.KafkaBroker;
import org.bulletin.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the subscriptions API checks beyond the request's form: filter values against the districts
 * and tags of the reports read, and URLs against this server's settings, also after a restart with
 * stricter settings (the endpoint is then shown disabled, on every instance, saying what to change).
 */
@ExtendWith(KafkaBrokerExtension.class)
class SubscriptionChecksIT {
  private static final Map<String, String> LOOPBACK_HTTP = Map.of("webhook.allow.http", "true",
      "webhook.allowlist", "127.0.0.1/32", "webhook.timeout", "2s");

  @Test
  void filtersAcceptKnownNamesOrSlugsInAnyCaseAndRefuseUnknownValuesListingTheKnownOnes(KafkaBroker broker)
      throws Exception {
    try (FeedFixture support = new FeedFixture(broker.bootstrapServers(), LOOPBACK_HTTP);
        TestReceiver receiver = TestReceiver.ok()) {
      FeedFixture.Feed feed = support.startFeed();
      JsonObject huiji = subscription(receiver.url(), List.of("Huiji District"), List.of());
      HttpResponse<Buffer> early = feed.api(HttpMethod.POST, "/v1/subscriptions", huiji);
      assertThat(early.statusCode()).as(early.bodyAsString()).isEqualTo(422);
      assertThat(early.bodyAsJsonObject().getString("detail")).contains("no report read so far has a district");

      publish(support, "filters-1", "Huiji District", "economy", "public-health");
      JsonObject bySlugAndCase = subscription(receiver.url(), List.of("huiji-district"), List.of("Economy"));
      HttpResponse<Buffer> created = awaitStatus(() -> feed.api(HttpMethod.POST, "/v1/subscriptions", bySlugAndCase),
          201);
      JsonObject filters = created.bodyAsJsonObject().getJsonObject("filters");
      assertThat(filters.getJsonArray("districts")).containsExactly("Huiji District");
      assertThat(filters.getJsonArray("tags")).containsExactly("economy");

      HttpResponse<Buffer> unknown = feed.api(HttpMethod.POST, "/v1/subscriptions",
          subscription(receiver.url(), List.of("Erqi District"), List.of("not-a-tag")));
      assertThat(unknown.statusCode()).isEqualTo(422);
      assertThat(unknown.getHeader("Content-Type")).startsWith("application/problem+json");
      JsonObject problem = unknown.bodyAsJsonObject();
      assertThat(problem.getString("code")).isEqualTo("unknown-filter-value");
      assertThat(problem.getString("detail"))
          .contains("filters.districts: \"Erqi District\" is not a known district").contains("Huiji District")
          .contains("filters.tags: \"not-a-tag\" is not a known tag").contains("economy, public-health");
      assertThat(problem.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("pointer")))
          .containsExactly("/filters/districts/0", "/filters/tags/0");

      // The canonical filter matches the report's district and tag.
      publish(support, "filters-2", "Huiji District", "economy");
      await("the filtered subscription receives its report", () -> receivedReport(receiver, "filters-2"));
    }
  }

  @Test
  void aSubscriptionSavedBeforeFiltersWereCheckedKeepsWorkingAndCanBeChangedWithoutTouchingThem(KafkaBroker broker)
      throws Exception {
    try (FeedFixture support = new FeedFixture(broker.bootstrapServers(), LOOPBACK_HTTP);
        TestReceiver receiver = TestReceiver.ok()) {
      FeedFixture.Feed feed = support.startFeed(); // creates the topics
      Instant now = Instant.now();
      Subscription old = new Subscription("sub_old", null, receiver.url(), "saved by an older version",
          new Subscription.Filters(null, List.of("huiji district"), List.of("economy", "Not-A-Tag")), true, null,
          false, List.of(new Subscription.SigningSecret(
              org.bulletin.feed.delivery.StandardWebhooksSigner.newSecret(), null)), null, now, now);
      Properties props = new Properties();
      props.put("bootstrap.servers", broker.bootstrapServers());
      try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(props, new StringSerializer(),
          new ByteArraySerializer())) {
        p.send(new ProducerRecord<>(support.setting("topics.subscriptions"), old.id(), DeliveryJson.write(old))).get();
      }
      await("the old subscription is loaded", () -> feed.api(HttpMethod.GET, "/v1/subscriptions/sub_old", null)
          .statusCode() == 200);
      publish(support, "old-filters-1", "Huiji District", "economy");
      await("the old subscription still receives matching reports", () -> receivedReport(receiver, "old-filters-1"));

      HttpResponse<Buffer> patched = feed.api(HttpMethod.PATCH, "/v1/subscriptions/sub_old",
          new JsonObject().put("description", "renamed"));
      assertThat(patched.statusCode()).as(patched.bodyAsString()).isEqualTo(200);
      assertThat(patched.bodyAsJsonObject().getJsonObject("filters").getJsonArray("tags"))
          .containsExactly("economy", "Not-A-Tag");
      HttpResponse<Buffer> refiltered = feed.api(HttpMethod.PATCH, "/v1/subscriptions/sub_old",
          new JsonObject().put("filters", new JsonObject().put("tags", new JsonArray().add("Not-A-Tag"))));
      assertThat(refiltered.statusCode()).isEqualTo(422);
    }
  }

  @Test
  void anHttpEndpointAfterARestartWithoutAllowHttpIsShownDisabledEverywhereAndCannotBeReenabled(KafkaBroker broker)
      throws Exception {
    try (FeedFixture support = new FeedFixture(broker.bootstrapServers(), LOOPBACK_HTTP);
        TestReceiver receiver = TestReceiver.ok()) {
      FeedFixture.Feed lenient = support.startFeed();
      HttpResponse<Buffer> created = lenient.api(HttpMethod.POST, "/v1/subscriptions",
          new JsonObject().put("url", receiver.url()));
      assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
      String id = created.bodyAsJsonObject().getString("id");
      lenient.stop();

      Map<String, String> strict = Map.of("webhook.allow.http", "false");
      FeedFixture.Feed a = support.startFeed(strict);
      FeedFixture.Feed b = support.startFeed(strict);
      publish(support, "after-strict-restart", "Huiji District");

      for (FeedFixture.Feed instance : List.of(a, b)) {
        await("every instance shows the endpoint disabled", () -> !instance.api(HttpMethod.GET,
            "/v1/subscriptions/" + id, null).bodyAsJsonObject().getBoolean("enabled"));
        JsonObject shown = instance.api(HttpMethod.GET, "/v1/subscriptions/" + id, null).bodyAsJsonObject();
        assertThat(shown.getString("disabledReason")).contains("BULLETIN_WEBHOOK_ALLOW_HTTP=true");
      }
      assertThat(receiver.received).isEmpty();

      HttpResponse<Buffer> enable = a.api(HttpMethod.POST, "/v1/subscriptions/" + id + "/enable", null);
      assertThat(enable.statusCode()).as(enable.bodyAsString()).isEqualTo(409);
      assertThat(enable.bodyAsJsonObject().getString("code")).isEqualTo("insecure-url");
      assertThat(enable.bodyAsJsonObject().getString("detail")).contains("BULLETIN_WEBHOOK_ALLOW_HTTP=true");
      assertThat(a.api(HttpMethod.GET, "/v1/subscriptions/" + id, null).bodyAsJsonObject().getBoolean("enabled"))
          .isFalse();
    }
  }

  private static JsonObject subscription(String url, List<String> districts, List<String> tags) {
    return new JsonObject().put("url", url).put("filters", new JsonObject()
        .put("districts", new JsonArray(districts)).put("tags", new JsonArray(tags)));
  }

  private static void publish(FeedFixture support, String id, String district, String... tags) {
    support.ingest(HttpMethod.POST, "/v1/reports", "application/json", new JsonObject().put("id", id)
        .put("title", "Report " + id).put("publishedDate", "2024-05-01").put("district", district)
        .put("tags", new JsonArray(List.of(tags))).put("body", new JsonArray().add("Body of " + id)).encode());
  }

  private static boolean receivedReport(TestReceiver receiver, String id) {
    return receiver.received.stream().anyMatch(r -> {
      try {
        return EventJson.mapper().readTree(r.body()).at("/data/id").asText().equals(id);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  private static HttpResponse<Buffer> awaitStatus(java.util.function.Supplier<HttpResponse<Buffer>> call, int status)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      HttpResponse<Buffer> r = call.get();
      if (r.statusCode() == status) {
        return r;
      }
      assertThat(System.nanoTime()).as("status " + status + " within 30 s; last: " + r.bodyAsString())
          .isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
