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
}
