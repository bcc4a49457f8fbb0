package org.bulletin.feed.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.bulletin.feed.delivery.AttemptRecord;
import org.bulletin.feed.delivery.DeliveryJson;
import org.junit.jupiter.api.Test;

class AttemptTest {
  @Test
  void theApiShowsAnEngineAttemptInTheWebhookShapeItAlwaysHad() throws Exception {
    AttemptRecord r = new AttemptRecord("webhook", "sub_1", "msg_1",
        Map.of("eventId", "e1", "eventType", "report.published", "reportId", "r1"), 2,
        Instant.parse("2026-01-01T00:00:00Z"), 503, 7, "busy", null, "retrying",
        Instant.parse("2026-01-01T00:00:05Z"), 1, 9, "h4sh");

    var json = DeliveryJson.mapper().readTree(new String(DeliveryJson.write(Attempt.of(r)), StandardCharsets.UTF_8));

    assertThat(json.path("webhookId").asText()).isEqualTo("msg_1");
    assertThat(json.path("subscriptionId").asText()).isEqualTo("sub_1");
    assertThat(json.path("eventId").asText()).isEqualTo("e1");
    assertThat(json.path("eventType").asText()).isEqualTo("report.published");
    assertThat(json.path("reportId").asText()).isEqualTo("r1");
    assertThat(json.path("status").asInt()).isEqualTo(503);
    assertThat(json.path("outcome").asText()).isEqualTo("retrying");
    assertThat(json.has("channel")).isFalse();
    assertThat(json.has("labels")).isFalse();
    assertThat(json.has("urlHash")).as("the engine's URL hash is not part of the API").isFalse();
  }
}
