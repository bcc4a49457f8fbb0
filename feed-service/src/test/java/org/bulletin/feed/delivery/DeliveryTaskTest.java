package org.bulletin.feed.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeliveryTaskTest {
  @Test
  void bodiesBuiltByJacksonTravelAsJsonAndComeBackByteForByte() {
    // Built the way WebhookPayloads.body builds them: Jackson's compact form is a fixed point.
    var node = org.bulletin.schema.EventJson.mapper().createObjectNode().put("type", "report.published");
    node.putObject("data").put("id", "a").put("title", "Quotes \" and unicode \u00e9 and </script>").put("n", 1.5);
    String body = node.toString();
    DeliveryTask task = new DeliveryTask("msg_1", "sub_1", "e1", "report.published", "a",
        Instant.parse("2024-05-01T00:00:00Z"), body, 1, 0, 0, 7);
    byte[] json = DeliveryJson.write(task);
    assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"payload\":{\"type\"");
    DeliveryTask back = DeliveryJson.read(json, DeliveryTask.class);
    assertThat(back.payload()).isEqualTo(body);
    assertThat(back).isEqualTo(task);
  }

  @Test
  void aTaskWrittenBeforeDueTimesExistedIsDueAtItsNotBefore() {
    String old = "{\"webhookId\":\"msg_1\",\"subscriptionId\":\"sub_1\",\"eventId\":\"e1\","
        + "\"eventType\":\"report.published\",\"reportId\":\"a\",\"eventTime\":\"2024-05-01T00:00:00Z\","
        + "\"payload\":{},\"attempt\":2,\"notBefore\":1000,\"sourcePartition\":0,\"sourceOffset\":7}";
    DeliveryTask task = DeliveryJson.read(old.getBytes(StandardCharsets.UTF_8), DeliveryTask.class);
    assertThat(task.dueAt()).isZero();
    assertThat(task.due()).isEqualTo(1000);
  }

  @Test
  void aRetrysDueTimeTravelsWithItThroughEveryHop() {
    DeliveryTask task = new DeliveryTask("msg_1", "sub_1", "e1", "report.published", "a",
        Instant.parse("2024-05-01T00:00:00Z"), "{}", 1, 0, 0, 7).nextAttempt(5_000, 240_000);
    DeliveryTask back = DeliveryJson.read(DeliveryJson.write(task.hopped(10_000)), DeliveryTask.class);
    assertThat(back.attempt()).isEqualTo(2);
    assertThat(back.notBefore()).isEqualTo(10_000);
    assertThat(back.dueAt()).isEqualTo(240_000);
    assertThat(back.due()).isEqualTo(240_000);
  }
}
