package org.bulletin.feed.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bulletin.feed.FeedFixture;
import org.bulletin.feed.delivery.DeliveryJson;
import org.bulletin.feed.delivery.DeliveryTask;
import org.bulletin.testkit.KafkaBroker;
import org.bulletin.testkit.KafkaBrokerExtension;
import org.bulletin.testkit.TopicReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Delivery task records that can never be delivered, written straight to the tasks topic (as a
 * buggy or hostile producer could): each goes to the dead-letter topic with its reason, and the
 * partition moves on to the good task behind them.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PoisonTaskIT {

  private static DeliveryTask task(String subscriptionId, String reportId) {
    return DeliveryTask.first("webhook", subscriptionId, "msg_" + UUID.randomUUID(),
        java.util.Map.of("eventId", "evt-" + reportId, "eventType", "report.published", "reportId", reportId),
        Instant.now(), DeliveryTask.JSON, java.util.Map.of(),
        ("{\"type\":\"report.published\",\"data\":{\"id\":\"" + reportId + "\"}}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8), 0, 0, 0);
  }

  @Test
  void poisonAndUnknownSubscriptionTasksAreDeadLetteredAndThePartitionMovesOn(KafkaBroker broker) throws Exception {
    try (FeedFixture support = new FeedFixture(broker.bootstrapServers(), Map.of(
        "webhook.allow.http", "true",
        "webhook.allowlist", "127.0.0.1/32",
        "webhook.task.max.bytes", "2048"));
        TestReceiver receiver = TestReceiver.ok()) {
      support.startFeed();
      HttpResponse<Buffer> sub = support.api(HttpMethod.POST, "/v1/subscriptions",
          new JsonObject().put("url", receiver.url()));
      assertThat(sub.statusCode()).as(sub.bodyAsString()).isEqualTo(201);
      String subscriptionId = sub.bodyAsJsonObject().getString("id");
      String tasks = support.setting("topics.deliveries");
      // Old records: the unknown subscription's grace counts from when the dispatcher gets the
      // task, not from the record's time, so it still waits webhook.unknown.subscription.grace.
      long old = System.currentTimeMillis() - 60_000;

      byte[] oversize = DeliveryJson.write(task(subscriptionId, "x".repeat(3000)));
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
          new ByteArraySerializer())) {
        List<ProducerRecord<String, byte[]>> records = List.of(
            new ProducerRecord<>(tasks, 0, old, "k", (byte[]) null),
            new ProducerRecord<>(tasks, 0, old, "k", "{not json".getBytes(StandardCharsets.UTF_8)),
            new ProducerRecord<>(tasks, 0, old, "k", DeliveryJson.write(task(null, "no-subscription"))),
            new ProducerRecord<>(tasks, 0, old, "k", oversize),
            new ProducerRecord<>(tasks, 0, old, "sub_gone", DeliveryJson.write(task("sub_gone", "unknown-subscription"))),
            new ProducerRecord<>(tasks, 0, System.currentTimeMillis(), subscriptionId,
                DeliveryJson.write(task(subscriptionId, "good"))));
        for (ProducerRecord<String, byte[]> r : records) {
          producer.send(r).get();
        }
      }

      await("the good task behind the poison is delivered", Duration.ofSeconds(30),
          () -> receiver.received.stream().anyMatch(r -> r.body().contains("\"good\"")));
      List<ConsumerRecord<String, byte[]>> letters = TopicReader.read(broker.bootstrapServers(),
          support.setting("topics.deliveries.dlq"), 5, Duration.ofSeconds(20));
      List<String> reasons = letters.stream().map(r -> {
        try {
          JsonNode json = DeliveryJson.mapper().readTree(r.value());
          return json.path("reason").asText();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }).toList();
      assertThat(reasons).hasSize(5);
      assertThat(reasons).anyMatch(r -> r.equals("the record has no value"))
          .anyMatch(r -> r.startsWith("not a delivery task"))
          .anyMatch(r -> r.equals("the task has no endpointId"))
          .anyMatch(r -> r.contains("over the limit of 2048"))
          .anyMatch(r -> r.contains("sub_gone is unknown"));
      // Attempts come in batches: the two may share a record or not.
      List<String> attempts = List.of();
      long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (attempts.size() < 2 && System.nanoTime() < until) {
        attempts = TopicReader.read(broker.bootstrapServers(), support.setting("topics.delivery.attempts"), 1,
            Duration.ofSeconds(5)).stream()
            .flatMap(r -> org.bulletin.feed.delivery.AttemptBatch.read(r.headers(), r.value()).stream())
            .map(a -> a.outcome() + " " + a.endpointId()).toList();
      }
      assertThat(attempts).contains("skipped sub_gone", "delivered " + subscriptionId);
      assertThat(receiver.received).hasSize(1);
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
