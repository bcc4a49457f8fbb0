package org.bulletin.feed.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.bulletin.feed.FeedFixture;
import org.bulletin.schema.EventJson;
import org.bulletin.testkit.KafkaBroker;
import org.bulletin.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * A feed service stopped cleanly and started again: it leaves its consumer groups on the way
 * out (no ERROR logged), and the next instance delivers its first webhook without waiting for the
 * old member's session to expire (the issue measured 39–45 s). Both group protocols are measured.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RestartIT {
  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(RestartIT.class);

  @Test
  void withTheConsumerGroupProtocolARestartedServiceDeliversItsFirstWebhookPromptly(KafkaBroker broker)
      throws Exception {
    restartAndMeasure(broker, "consumer");
  }

  @Test
  void withTheClassicGroupProtocolARestartedServiceDeliversItsFirstWebhookPromptly(KafkaBroker broker)
      throws Exception {
    restartAndMeasure(broker, "classic");
  }

  private void restartAndMeasure(KafkaBroker broker, String protocol) throws Exception {
    try (FeedFixture support = new FeedFixture(broker.bootstrapServers(), Map.of(
        "consumer.group.protocol", protocol,
        "webhook.allow.http", "true",
        "webhook.allowlist", "127.0.0.1/32",
        "webhook.timeout", "2s"));
        TestReceiver receiver = TestReceiver.ok()) {
      FeedFixture.Feed first = support.startFeed();
      HttpResponse<Buffer> sub = support.api(HttpMethod.POST, "/v1/subscriptions",
          new JsonObject().put("url", receiver.url()));
      assertThat(sub.statusCode()).as(sub.bodyAsString()).isEqualTo(201);
      support.publishJson("before-restart-" + protocol);
      await("delivered before the restart", Duration.ofSeconds(30), () -> delivered(receiver, "before-restart-" + protocol));

      ListAppender<ILoggingEvent> logged = new ListAppender<>();
      Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      logged.start();
      root.addAppender(logged);
      long stopStart = System.nanoTime();
      try {
        first.stop();
      } finally {
        root.detachAppender(logged);
      }
      long stopMillis = Duration.ofNanos(System.nanoTime() - stopStart).toMillis();
      List<String> errors = logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
          .map(ILoggingEvent::getFormattedMessage).toList();
      long warnings = logged.list.stream().filter(e -> e.getLevel() == Level.WARN).count();
      assertThat(errors).as("a clean shutdown logs no error").isEmpty();

      long restartAt = System.nanoTime();
      support.startFeed();
      long readyAt = System.nanoTime();
      support.publishJson("after-restart-" + protocol);
      long publishedAt = System.nanoTime();
      await("delivered after the restart", Duration.ofSeconds(60), () -> delivered(receiver, "after-restart-" + protocol));
      long deliveredAt = System.nanoTime();
      long publishToDelivery = Duration.ofNanos(deliveredAt - publishedAt).toMillis();
      LOG.info("group.protocol={}: shutdown {} ms ({} warnings); restart to ready {} ms; restart to first delivery "
          + "{} ms; publish to delivery {} ms", protocol, stopMillis, warnings,
          Duration.ofNanos(readyAt - restartAt).toMillis(), Duration.ofNanos(deliveredAt - restartAt).toMillis(),
          publishToDelivery);
      // Generous: the point is not waiting out the old member's session (45 s by default).
      assertThat(publishToDelivery).as("first delivery after the restart").isLessThan(10_000);
    }
  }

  private static boolean delivered(TestReceiver receiver, String id) {
    return receiver.received.stream().anyMatch(r -> {
      try {
        return EventJson.mapper().readTree(r.body()).at("/data/id").asText().equals(id);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
