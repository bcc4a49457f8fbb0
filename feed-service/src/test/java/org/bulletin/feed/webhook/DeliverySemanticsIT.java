package org.bulletin.feed.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bulletin.feed.FeedFixture;
import org.bulletin.schema.CloudEventCodec;
import org.bulletin.schema.EventJson;
import org.bulletin.schema.MeetingReport;
import org.bulletin.schema.ReportEvent;
import org.bulletin.testkit.KafkaBroker;
import org.bulletin.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a partner receives: nothing twice, nothing from before it subscribed, replays in current state. */
@ExtendWith(KafkaBrokerExtension.class)
class DeliverySemanticsIT {
  private FeedFixture support;
  private KafkaBroker broker;

  @BeforeEach
  void start(KafkaBroker broker) {
    this.broker = broker;
    support = new FeedFixture(broker.bootstrapServers(), Map.of(
        "webhook.allow.http", "true",
        "webhook.allowlist", "127.0.0.1/32",
        "webhook.retry.schedule", "0s,300ms,300ms",
        "webhook.timeout", "2s"));
    support.startFeed();
  }

  @AfterEach
  void stop() {
    support.close();
  }

  private String subscribe(TestReceiver receiver) {
    HttpResponse<Buffer> r = support.api(HttpMethod.POST, "/v1/subscriptions",
        new JsonObject().put("url", receiver.url()));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject().getString("id");
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static JsonNode json(TestReceiver.Received r) {
    try {
      return EventJson.mapper().readTree(r.body());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String summary(TestReceiver.Received r) {
    JsonNode body = json(r);
    return body.path("type").asText() + " " + body.at("/data/id").asText();
  }

  private static MeetingReport report(String id, String body) {
    return new MeetingReport(id, "Report " + id, LocalDate.of(2024, 5, 1), null, "Erqi District", null, List.of(),
        null, null, List.of(body), null, List.of(), "en");
  }

  /** Writes events as another producer would, with the record time given. */
  private void writeDirectly(Instant recordTime, ReportEvent... events) throws Exception {
    CloudEventCodec codec = new CloudEventCodec();
    String topic = support.config.string("topics.reports");
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
        new ByteArraySerializer())) {
      for (ReportEvent event : events) {
        ProducerRecord<String, byte[]> r = codec.encode(topic, event);
        producer.send(new ProducerRecord<>(topic, null, recordTime.toEpochMilli(), r.key(), r.value(), r.headers()))
            .get();
      }
    }
  }

  @Test
  void republishingIdenticalContentDeliversNothingNew() throws Exception {
    try (TestReceiver receiver = TestReceiver.ok()) {
      subscribe(receiver);
      String id = support.publishSample("erqi-flood-prevention-meeting.txt");
      HttpResponse<Buffer> again = support.ingest(200, HttpMethod.POST, "/v1/reports", "text/plain",
          support.sample("erqi-flood-prevention-meeting.txt"));
      assertThat(again.bodyAsJsonObject().getString("status")).isEqualTo("unchanged");
      String marker = support.publishJson("marker-after-the-repeat");

      await("marker delivered", () -> receiver.received.stream().anyMatch(r -> summary(r).endsWith(marker)));
      Thread.sleep(1000); // a second delivery of the repeat would be here by now
      assertThat(receiver.received).extracting(DeliverySemanticsIT::summary)
          .containsExactlyInAnyOrder("report.published " + id, "report.published " + marker);
    }
  }

  @Test
  void anIdenticalEventWrittenTwiceByRacingProducersIsDeliveredOnce() throws Exception {
    try (TestReceiver receiver = TestReceiver.ok()) {
      subscribe(receiver);
      Thread.sleep(5); // record times after the subscription's creation
      Instant now = Instant.now();
      MeetingReport report = report("raced-report", "Body");
      writeDirectly(now, ReportEvent.published(report, now, "/producer-a"),
          ReportEvent.published(report, now.plusMillis(3), "/producer-b"),
          ReportEvent.published(report("marker-report", "Body"), now, "/producer-a"));

      await("marker delivered", () -> receiver.received.stream().anyMatch(r -> summary(r).endsWith("marker-report")));
      Thread.sleep(1000);
      assertThat(receiver.received).extracting(DeliverySemanticsIT::summary)
          .containsExactlyInAnyOrder("report.published raced-report", "report.published marker-report");
    }
  }

  @Test
  void aSubscriptionReceivesOnlyEventsThatHappenAfterItWasCreated() throws Exception {
    try (TestReceiver receiver = TestReceiver.ok()) {
      subscribe(receiver);
      // Events whose time is before the subscription, reaching the fan-out after it: a backlog.
      Instant before = Instant.now().minusSeconds(60);
      writeDirectly(before, ReportEvent.published(report("from-before", "Old"), before, "/elsewhere"));
      String after = support.publishJson("from-after");

      await("later event delivered", () -> receiver.received.stream().anyMatch(r -> summary(r).endsWith(after)));
      Thread.sleep(1000);
      assertThat(receiver.received).extracting(DeliverySemanticsIT::summary)
          .containsExactly("report.published " + after);
    }
  }

  @Test
  void replaySendsEachReportOnceInItsCurrentStateAndRetractionsWithoutBody() throws Exception {
    Instant since = Instant.now().minusSeconds(1);
    String kept = support.publishSample("guancheng-environment-notice.txt");
    String corrected = support.sample("guancheng-environment-notice.txt")
        .replace("third quarter", "third quarter of 2023");
    support.ingest(HttpMethod.PUT, "/v1/reports/" + kept, "text/plain", corrected);
    String gone = support.publishSample("huiji-economic-operation-meeting.txt");
    support.ingest(HttpMethod.DELETE, "/v1/reports/" + gone, "application/json", "{\"reason\":\"published in error\"}");

    try (TestReceiver receiver = TestReceiver.ok()) {
      String id = subscribe(receiver); // after every event: nothing arrives live
      HttpResponse<Buffer> replay = support.api(HttpMethod.POST, "/v1/subscriptions/" + id + "/replay",
          new JsonObject().put("since", since.toString()));
      assertThat(replay.statusCode()).as(replay.bodyAsString()).isEqualTo(202);
      assertThat(replay.bodyAsJsonObject().getInteger("events")).isEqualTo(2);

      await("replayed", () -> receiver.received.size() >= 2);
      Thread.sleep(1000);
      assertThat(receiver.received).extracting(DeliverySemanticsIT::summary)
          .containsExactlyInAnyOrder("report.corrected " + kept, "report.retracted " + gone);
      JsonNode current = receiver.received.stream().map(DeliverySemanticsIT::json)
          .filter(b -> b.path("type").asText().equals("report.corrected")).findFirst().orElseThrow();
      assertThat(current.at("/data/body").toString()).contains("third quarter of 2023");
      JsonNode retraction = receiver.received.stream().map(DeliverySemanticsIT::json)
          .filter(b -> b.path("type").asText().equals("report.retracted")).findFirst().orElseThrow();
      assertThat(retraction.path("data").has("title")).isFalse();
      assertThat(retraction.path("data").has("body")).isFalse();
      assertThat(retraction.at("/data/reason").asText()).isEqualTo("published in error");
    }
  }
}
