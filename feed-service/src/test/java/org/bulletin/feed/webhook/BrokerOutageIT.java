package org.bulletin.feed.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bulletin.feed.FeedFixture;
import org.bulletin.localkafka.LocalKafka;
import org.bulletin.localkafka.LocalKafkaSettings;
import org.bulletin.schema.EventJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker stalls (SIGSTOP) for 90 s in the middle of a fan-out, then goes on (SIGCONT): longer
 * than the transaction timeout and the producer's max.block.ms, so commits time out. A broker of
 * its own, so that no other test sees the stall.
 */
class BrokerOutageIT {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerOutageIT.class);
  private static final int EVENTS = 200;
  private static final Duration STALL = Duration.ofSeconds(90);

  private Path dir;
  private LocalKafka kafka;
  private FeedFixture support;

  @BeforeEach
  void start() throws IOException {
    dir = Files.createTempDirectory("bulletin-outage-kafka");
    kafka = LocalKafka.start(LocalKafkaSettings.ephemeral(dir));
    support = new FeedFixture(kafka.bootstrapServers(), Map.of(
        "webhook.allow.http", "true",
        "webhook.allowlist", "127.0.0.1/32",
        "webhook.retry.schedule", "0s,1s,2s,5s,10s,20s,30s,60s",
        "webhook.retry.jitter", "0.1",
        "webhook.timeout", "2s",
        // One delivery at a time to a slow receiver: the stall comes while most are still to go.
        "webhook.max.in.flight.per.endpoint", "1"));
  }

  @AfterEach
  void stop() throws IOException {
    try {
      signal("CONT");
      support.close();
    } finally {
      kafka.close();
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void signal(String name) {
    org.bulletin.testkit.ProcessSignals.send(kafka.pid(), name);
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static String reportId(TestReceiver.Received r) {
    try {
      return EventJson.mapper().readTree(r.body()).at("/data/id").asText();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Set<String> reportIds(TestReceiver receiver) {
    return receiver.received.stream().map(BrokerOutageIT::reportId).collect(Collectors.toSet());
  }

  @Test
  void aNinetySecondBrokerStallMidFanOutLosesNothingKillsNoThreadAndHealthShowsIt() throws Exception {
    FeedFixture.Feed feed = support.startFeed();
    try (TestReceiver receiver = new TestReceiver(n -> {
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 200;
    })) {
      HttpResponse<Buffer> sub = support.api(HttpMethod.POST, "/v1/subscriptions",
          new JsonObject().put("url", receiver.url()));
      assertThat(sub.statusCode()).as(sub.bodyAsString()).isEqualTo(201);
      Set<String> expected = new HashSet<>();
      for (int i = 0; i < EVENTS; i++) {
        expected.add(support.publishJson("outage-" + i));
      }
      signal("STOP"); // right after the publish: fan-out and deliveries are under way
      int deliveredBefore = reportIds(receiver).size();
      long stalledAt = System.nanoTime();
      LOG.info("Broker stalled with {} of {} events delivered", deliveredBefore, EVENTS);
      assertThat(deliveredBefore).as("the stall came in the middle of the fan-out").isLessThan(EVENTS);

      boolean sawDown = false;
      String downBody = null;
      while (System.nanoTime() - stalledAt < STALL.toNanos()) {
        HttpResponse<Buffer> ready = feed.get("/health/ready");
        if (ready.statusCode() == 503 && !sawDown) {
          sawDown = true;
          downBody = ready.bodyAsString();
          LOG.info("Readiness during the stall: {}", downBody);
        }
        assertThat(feed.get("/health/live").statusCode()).as("liveness during the stall").isEqualTo(200);
        Thread.sleep(1000);
      }
      signal("CONT");
      long resumedAt = System.nanoTime();

      assertThat(sawDown).as("readiness turned DOWN during the stall").isTrue();
      assertThat(new JsonObject(downBody).getJsonObject("components").getJsonObject("kafka").getString("status"))
          .isEqualTo("DOWN");

      Set<String> after = new HashSet<>();
      for (int i = 0; i < 5; i++) {
        String id = "after-outage-" + i;
        awaitPublished(id);
        after.add(id);
      }
      expected.addAll(after);
      await("every event delivered after the stall", Duration.ofSeconds(180),
          () -> reportIds(receiver).containsAll(expected));
      LOG.info("All {} events delivered {} s after the broker went on", expected.size(),
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - resumedAt));

      await("ready again", Duration.ofSeconds(60), () -> feed.get("/health/ready").statusCode() == 200);
      JsonObject live = feed.get("/health/live").bodyAsJsonObject();
      assertThat(live.getString("status")).isEqualTo("UP");
      JsonObject components = live.getJsonObject("components");
      assertThat(components.fieldNames()).contains("bulletin-webhook-fanout", "bulletin-webhook-delivery",
          "bulletin-report-consumer");
      for (String name : components.fieldNames()) {
        assertThat(components.getJsonObject(name).getString("state")).as(name).isEqualTo("RUNNING");
      }
      String metrics = support.client().get(feed.managementPort(), "127.0.0.1", "/metrics").send().await()
          .bodyAsString();
      LOG.info("Restarts after the stall: {}", metrics.lines()
          .filter(l -> l.startsWith("bulletin_consumer_thread_restarts_total")).toList());
      List<String> unknown = receiver.received.stream().map(BrokerOutageIT::reportId)
          .filter(id -> !expected.contains(id)).toList();
      assertThat(unknown).isEmpty();
    }
  }

  /** Publishes once the producer takes it again (its sends may still time out just after the stall). */
  private void awaitPublished(String id) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        support.publishJson(id);
        return;
      } catch (AssertionError | RuntimeException notYet) {
        assertThat(System.nanoTime()).as("publishing after the stall").isLessThan(deadline);
        Thread.sleep(500);
      }
    }
  }
}
