package org.bulletin.feed.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttemptRecordTest {
  @Test
  void anAttemptWrittenBeforeChannelsExistedIsReadAsAWebhookAttempt() {
    String old = "{\"webhookId\":\"msg_1\",\"subscriptionId\":\"sub_1\",\"eventId\":\"e1\",\"eventType\":\"report.published\","
        + "\"reportId\":\"r1\",\"attempt\":2,\"at\":\"2026-01-01T00:00:00Z\",\"status\":500,\"latencyMs\":12,"
        + "\"outcome\":\"retrying\",\"nextAttemptAt\":\"2026-01-01T00:00:05Z\",\"sourcePartition\":1,\"sourceOffset\":9}";

    AttemptRecord a = DeliveryJson.read(old.getBytes(StandardCharsets.UTF_8), AttemptRecord.class);

    assertThat(a.channel()).isEqualTo("webhook");
    assertThat(a.endpointId()).isEqualTo("sub_1");
    assertThat(a.messageId()).isEqualTo("msg_1");
    assertThat(a.labels()).containsExactly(Map.entry("eventId", "e1"), Map.entry("eventType", "report.published"),
        Map.entry("reportId", "r1"));
    assertThat(a.status()).isEqualTo(500);
    assertThat(a.nextAttemptAt()).isEqualTo(Instant.parse("2026-01-01T00:00:05Z"));
    assertThat(a.sourceOffset()).isEqualTo(9);
  }

  @Test
  void anAttemptComesBackAsItWasWritten() {
    AttemptRecord a = new AttemptRecord("websub", "ws_1", "m-1", Map.of("topic", "https://x.example/feed"), 1,
        Instant.parse("2026-01-01T00:00:00Z"), 204, 3, "", null, "delivered", null, -1, -1, UrlHash.of("https://x.example/cb"));
    assertThat(DeliveryJson.read(DeliveryJson.write(a), AttemptRecord.class)).isEqualTo(a);
  }
}
