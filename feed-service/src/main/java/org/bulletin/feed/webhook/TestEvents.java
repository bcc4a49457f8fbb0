package org.bulletin.feed.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import org.bulletin.feed.delivery.DeliveryJson;
import org.bulletin.feed.delivery.DeliveryTask;
import org.bulletin.feed.delivery.RecordSender;
import org.bulletin.schema.EventJson;

/**
 * Test events a partner sends to its own endpoint to check its receiver: a delivery task of type
 * {@value #TYPE} written to the tasks topic, so it goes through signing, retries and the attempt
 * log like any other. It names no report event (source partition -1), so it cannot be resent.
 */
public final class TestEvents {
  public static final String TYPE = "webhook.test";

  private final RecordSender producer;
  private final WebhookSettings settings;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public TestEvents(RecordSender producer, WebhookSettings settings, Clock clock) {
    this.producer = producer;
    this.settings = settings;
    this.clock = clock;
  }

  /** Queues a test event for {@code s}; completes with its event id once Kafka has the task. */
  public Future<String> send(Subscription s) {
    byte[] b = new byte[12];
    random.nextBytes(b);
    String eventId = "evt_test_" + HexFormat.of().formatHex(b);
    Instant now = clock.instant();
    ObjectNode body = EventJson.mapper().createObjectNode();
    body.put("type", TYPE);
    body.put("timestamp", now.toString());
    body.putObject("data").put("subscriptionId", s.id()).put("message", "A test event sent from the Bulletin"
        + " partner portal. It carries no report.");
    DeliveryTask task = WebhookPayloads.task(eventId, TYPE, null, now,
        body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), s.id(), -1, -1, now.toEpochMilli());
    return producer.send(settings.tasks().name(), s.id(), DeliveryJson.write(task)).map(m -> eventId);
  }
}
