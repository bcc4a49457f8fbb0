package org.bulletin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bulletin.schema.CloudEventCodec;
import org.bulletin.schema.EventJson;
import org.bulletin.schema.MeetingReport;
import org.bulletin.schema.ReportEvent;
import org.bulletin.testkit.KafkaBroker;
import org.bulletin.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Partitions added to the reports topic while the services run are read: feeds and webhooks. */
@ExtendWith(KafkaBrokerExtension.class)
class PartitionsAddedIT {

  @Test
  void reportsOnPartitionsAddedAtRuntimeReachTheFeedsAndTheWebhooks(KafkaBroker broker) throws Exception {
    try (FeedFixture fixture = new FeedFixture(broker.bootstrapServers(), Map.of(
        "topics.partitions", "1",
        "consumer.partitions.refresh.seconds", "1",
        "webhook.allow.http", "true", "webhook.allowlist", "127.0.0.1/32"))) {
      Set<String> delivered = ConcurrentHashMap.newKeySet();
      HttpServer receiver = fixture.vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
        try {
          delivered.add(EventJson.mapper().readTree(body.getBytes()).at("/data/id").asText());
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        req.response().setStatusCode(204).end();
      })).listen(0, "127.0.0.1").await();
      FeedFixture.Feed feed = fixture.startFeed();
      assertThat(fixture.api(HttpMethod.POST, "/v1/subscriptions", new JsonObject()
          .put("url", "http://127.0.0.1:" + receiver.actualPort() + "/hook")).statusCode()).isEqualTo(201);

      String first = fixture.publishJson("before-the-new-partitions");
      feed.await("/feeds/reports.atom", b -> b.contains(first));
      await("the first webhook", () -> delivered.contains(first));

      String topic = fixture.config().string("topics.reports");
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(3))).all().get(30, TimeUnit.SECONDS);
      }
      CloudEventCodec codec = new CloudEventCodec();
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
          broker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
        for (int partition : List.of(1, 2)) {
          MeetingReport report = new MeetingReport("on-new-partition-" + partition, "On partition " + partition,
              java.time.LocalDate.of(2024, 5, 2), null, "Erqi District", null, null, null, null,
              List.of("Body."), null, List.of(), "en");
          ProducerRecord<String, byte[]> r = codec.encode(topic, ReportEvent.published(report, Instant.now(), "/it"));
          producer.send(new ProducerRecord<>(topic, partition, r.key(), r.value(), r.headers()))
              .get(10, TimeUnit.SECONDS);
        }
      }

      feed.await("/feeds/reports.atom", b -> b.contains("on-new-partition-1") && b.contains("on-new-partition-2"));
      await("webhooks of the new partitions", () -> delivered.containsAll(
          Set.of("on-new-partition-1", "on-new-partition-2")));
    }
  }

  private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what + " within 60 s").isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
