package org.bulletin.feed.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bulletin.feed.FeedFixture;
import org.bulletin.schema.CloudEventCodec;
import org.bulletin.schema.EventJson;
import org.bulletin.schema.ReportEvent;
import org.bulletin.schema.ReportFacets;
import org.bulletin.schema.Retraction;
import org.bulletin.testkit.KafkaBroker;
import org.bulletin.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Retractions are matched to subscription filters by the district and tags they carry, never by
 * asking the feed view: the reports here were never in the view at all.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RetractionFiltersIT {

  @Test
  void aRetractionReachesTheDistrictItCarriesAndAnOldOneWithoutAttributesReachesEveryDistrict(KafkaBroker broker)
      throws Exception {
    try (FeedFixture support = new FeedFixture(broker.bootstrapServers(), Map.of(
        "webhook.allow.http", "true", "webhook.allowlist", "127.0.0.1/32"));
        TestReceiver erqi = TestReceiver.ok(); TestReceiver huiji = TestReceiver.ok();
        TestReceiver water = TestReceiver.ok(); TestReceiver publishedOnly = TestReceiver.ok()) {
      support.startFeed();
      support.seedFilterValues("Erqi District", "water");
      support.seedFilterValues("Huiji District");
      subscribe(support, erqi, new JsonObject().put("districts", new JsonArray().add("erqi district")));
      subscribe(support, huiji, new JsonObject().put("districts", new JsonArray().add("Huiji District")));
      subscribe(support, water, new JsonObject().put("tags", new JsonArray().add("water")));
      subscribe(support, publishedOnly, new JsonObject().put("types", new JsonArray().add("published")));

      CloudEventCodec codec = new CloudEventCodec();
      String topic = support.config().string("topics.reports");
      Instant now = Instant.now();
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
          broker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
        // Never published here: the view knows nothing of either report.
        producer.send(codec.encode(topic, ReportEvent.retracted(new Retraction("erqi-water-report", "duplicate"),
            new ReportFacets("Erqi District", List.of("flood-control", "water")), now, "/test"))).get(10, TimeUnit.SECONDS);
        producer.send(codec.encode(topic, ReportEvent.retracted(new Retraction("legacy-report", "withdrawn"),
            now, "/test"))).get(10, TimeUnit.SECONDS);
      }

      await("retractions delivered", Duration.ofSeconds(20), () -> erqi.received.size() >= 2
          && huiji.received.size() >= 1 && water.received.size() >= 2);
      Thread.sleep(1500); // anything extra would arrive by now

      assertThat(erqi.received).extracting(RetractionFiltersIT::typeAndId).containsExactlyInAnyOrder(
          "report.retracted erqi-water-report", "report.retracted legacy-report");
      assertThat(water.received).extracting(RetractionFiltersIT::typeAndId).containsExactlyInAnyOrder(
          "report.retracted erqi-water-report", "report.retracted legacy-report");
      assertThat(huiji.received).as("another district hears only of the retraction it cannot place")
          .extracting(RetractionFiltersIT::typeAndId).containsExactly("report.retracted legacy-report");
      assertThat(publishedOnly.received).as("type filters still apply").isEmpty();
    }
  }

  private static void subscribe(FeedFixture support, TestReceiver receiver, JsonObject filters) {
    HttpResponse<Buffer> r = support.api(HttpMethod.POST, "/v1/subscriptions",
        new JsonObject().put("url", receiver.url()).put("filters", filters));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
  }

  private static String typeAndId(TestReceiver.Received r) {
    try {
      JsonNode body = EventJson.mapper().readTree(r.body());
      return body.path("type").asText() + " " + body.at("/data/id").asText();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
