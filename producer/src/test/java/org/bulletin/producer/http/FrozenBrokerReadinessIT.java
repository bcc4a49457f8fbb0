package org.bulletin.producer.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.bulletin.localkafka.LocalKafka;
import org.bulletin.localkafka.LocalKafkaSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A broker frozen with SIGSTOP (its port still open) turns the producer's readiness DOWN, naming Kafka. */
class FrozenBrokerReadinessIT {
  private Path dir;
  private LocalKafka kafka;
  private TestProducer producer;

  @BeforeEach
  void start() throws IOException {
    dir = Files.createTempDirectory("bulletin-frozen-kafka");
    kafka = LocalKafka.start(LocalKafkaSettings.ephemeral(dir));
    producer = new TestProducer(kafka.bootstrapServers(), Map.of("topics.reports", "it-frozen-" + UUID.randomUUID()));
  }

  @AfterEach
  void stop() throws IOException {
    try {
      signal("CONT");
      producer.close();
    } finally {
      kafka.close();
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void readinessTurnsDownWithKafkasReasonWhileTheBrokerIsFrozenAndUpAfter() throws Exception {
    awaitReady(r -> r.statusCode() == 200);
    signal("STOP");
    HttpResponse<Buffer> down = awaitReady(r -> r.statusCode() == 503);
    JsonObject kafkaJson = down.bodyAsJsonObject().getJsonObject("kafka");
    assertThat(kafkaJson.getString("status")).isEqualTo("DOWN");
    assertThat(kafkaJson.getString("reason")).startsWith("Kafka at " + kafka.bootstrapServers() + " does not answer");
    signal("CONT");
    HttpResponse<Buffer> up = awaitReady(r -> r.statusCode() == 200);
    assertThat(up.bodyAsJsonObject().getJsonObject("kafka").getString("status")).isEqualTo("UP");
  }

  private HttpResponse<Buffer> awaitReady(Predicate<HttpResponse<Buffer>> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    HttpResponse<Buffer> last = null;
    while (System.nanoTime() < deadline) {
      last = producer.client.request(HttpMethod.GET, producer.port, "127.0.0.1", "/health/ready").send().await();
      if (wanted.test(last)) {
        return last;
      }
      Thread.sleep(500); // polling a health endpoint, not synchronising on time
    }
    throw new AssertionError("readiness never reached the wanted state; last: "
        + (last == null ? "none" : last.statusCode() + " " + last.bodyAsString()));
  }

  private void signal(String name) {
    org.bulletin.testkit.ProcessSignals.send(kafka.pid(), name);
  }
}
