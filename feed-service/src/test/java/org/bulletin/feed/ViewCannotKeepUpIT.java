package org.bulletin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bulletin.schema.CloudEventCodec;
import org.bulletin.schema.MeetingReport;
import org.bulletin.schema.ReportEvent;
import org.bulletin.testkit.KafkaBroker;
import org.bulletin.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A view that applies more slowly than reports arrive turns readiness DOWN with the reason, end to
 * end (consumer, {@code ViewLag}, health, HTTP), with {@code consumer.max.behind.seconds} at its
 * least: the view thread is held for a second before each batch (as slow renders would hold it)
 * while a burst of reports arrives, so it cannot reach what the topic held 5 s ago. Released, it
 * catches up and readiness is UP again.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ViewCannotKeepUpIT {
  private static final int BURST = 40_000;

  @Test
  void readinessIsDownWithTheReasonWhileTheViewCannotKeepUpAndUpAgainOnceItCaughtUp(KafkaBroker broker)
      throws Exception {
    try (FeedFixture fixture = new FeedFixture(broker.bootstrapServers(), Map.of(
        "consumer.max.behind.seconds", "5", "webhook.enabled", "false", "websub.enabled", "false"))) {
      FeedFixture.Feed feed = fixture.startFeed();
      awaitReady(feed, 200, health -> true);

      AtomicBoolean holding = new AtomicBoolean(true);
      Thread holder = new Thread(() -> {
        while (holding.get()) {
          try {
            // One hold at a time: each batch the consumer hands over waits behind one.
            feed.verticle.viewExecutor().submit(fixture.vertx.getOrCreateContext(), () -> {
              Thread.sleep(1_000);
              return null;
            }).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
          } catch (Exception e) {
            return;
          }
        }
      }, "test-view-holder");
      holder.start();
      try {
        publishBurst(broker, fixture.config().string("topics.reports"));
        JsonObject down = awaitReady(feed, 503, health -> "DOWN".equals(
            health.getJsonObject("components").getJsonObject("feeds").getString("status")));
        assertThat(down.getString("status")).isEqualTo("DOWN");
        assertThat(down.getJsonObject("components").getJsonObject("feeds").getString("reason"))
            .startsWith("the view cannot keep up: it has not applied what the reports topic held");
      } finally {
        holding.set(false);
        holder.join(60_000);
      }
      awaitReady(feed, 200, health -> health.getInteger("reports", 0) == BURST);
    }
  }

  private static void publishBurst(KafkaBroker broker, String topic) throws Exception {
    CloudEventCodec codec = new CloudEventCodec();
    Instant start = Instant.now();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 20,
        ProducerConfig.BATCH_SIZE_CONFIG, 262_144), new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < BURST; i++) {
        MeetingReport report = new MeetingReport(String.format("burst-%05d", i), "Burst report " + i,
            LocalDate.of(2024, 1, 1).plusDays(i % 300), null, "Erqi District", null, null, null, null,
            List.of("Body of burst report " + i + "."), null, List.of("economy"), "en");
        producer.send(codec.encode(topic, ReportEvent.published(report, start.plusMillis(i), "/it")));
      }
      producer.flush();
    }
  }

  /** Polls {@code /health/ready} until it answers {@code status} and its body satisfies {@code condition}. */
  private static JsonObject awaitReady(FeedFixture.Feed feed, int status, Predicate<JsonObject> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      HttpResponse<Buffer> r = feed.get("/health/ready");
      if (r.statusCode() == status && condition.test(r.bodyAsJsonObject())) {
        return r.bodyAsJsonObject();
      }
      assertThat(System.nanoTime()).as("/health/ready " + status + " within 120 s; last: " + r.bodyAsString())
          .isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
