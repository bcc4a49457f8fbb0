package org.bulletin.feed.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryTaskTest {
  @Test
  void bodiesBuiltByJacksonTravelAsJsonAndComeBackByteForByte() {
    // Built the way WebhookPayloads.body builds them: Jackson's compact form is a fixed point.
    var node = org.bulletin.schema.EventJson.mapper().createObjectNode().put("type", "report.published");
    node.putObject("data").put("id", "a").put("title", "Quotes \" and unicode \u00e9 and </script>").put("n", 1.5);
    String body = node.toString();
    DeliveryTask task = Tasks.webhook("msg_1", "sub_1", "e1", "report.published", "a",
        Instant.parse("2024-05-01T00:00:00Z"), body, 1, 0, 0, 7);
    byte[] json = DeliveryJson.write(task);
    assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"payload\":{\"type\"");
    DeliveryTask back = DeliveryJson.read(json, DeliveryTask.class);
    assertThat(new String(back.payload(), StandardCharsets.UTF_8)).isEqualTo(body);
    assertThat(back).isEqualTo(task);
  }

  @Test
  void anyPayloadTravelsWithItsContentTypeHeadersAndChannel() {
    byte[] xml = "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">\u00e9\"</feed>"
        .getBytes(StandardCharsets.UTF_8);
    DeliveryTask task = DeliveryTask.first("websub", "ws_1", "m-1", Map.of("topic", "https://x.example/feed.atom"),
        Instant.parse("2024-05-01T00:00:00Z"), "application/atom+xml",
        Map.of("Link", java.util.List.of("<https://x.example/hub>; rel=\"hub\"", "<https://x.example/feed.atom>; rel=\"self\"")),
        xml, 5, -1, -1);

    DeliveryTask back = TaskCodec.decode(TaskCodec.encode(task));

    assertThat(back).isEqualTo(task);
    assertThat(back.payload()).isEqualTo(xml);
    assertThat(back.channel()).isEqualTo("websub");
    assertThat(back.contentType()).isEqualTo("application/atom+xml");
    assertThat(back.headers().get("Link")).containsExactly("<https://x.example/hub>; rel=\"hub\"",
        "<https://x.example/feed.atom>; rel=\"self\"");
    assertThat(back.label("topic")).isEqualTo("https://x.example/feed.atom");
  }

  @Test
  void aTaskWrittenBeforeChannelsExistedIsReadAsAWebhookTask() {
    String old = "{\"webhookId\":\"msg_1\",\"subscriptionId\":\"sub_1\",\"eventId\":\"e1\","
        + "\"eventType\":\"report.published\",\"reportId\":\"a\",\"eventTime\":\"2024-05-01T00:00:00Z\","
        + "\"payload\":{\"type\":\"report.published\",\"data\":{\"id\":\"a\"}},\"attempt\":2,\"notBefore\":1000,"
        + "\"sourcePartition\":3,\"sourceOffset\":7,\"dueAt\":2000}";

    DeliveryTask task = DeliveryJson.read(old.getBytes(StandardCharsets.UTF_8), DeliveryTask.class);

    assertThat(task.channel()).isEqualTo("webhook");
    assertThat(task.endpointId()).isEqualTo("sub_1");
    assertThat(task.messageId()).isEqualTo("msg_1");
    assertThat(task.labels()).containsExactly(Map.entry("eventId", "e1"), Map.entry("eventType", "report.published"),
        Map.entry("reportId", "a"));
    assertThat(task.createdAt()).isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
    assertThat(task.contentType()).isEqualTo("application/json");
    assertThat(new String(task.payload(), StandardCharsets.UTF_8))
        .isEqualTo("{\"type\":\"report.published\",\"data\":{\"id\":\"a\"}}");
    assertThat(task.attempt()).isEqualTo(2);
    assertThat(task.sourcePartition()).isEqualTo(3);
    assertThat(task.sourceOffset()).isEqualTo(7);
    assertThat(task.due()).isEqualTo(2000);
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
  void aBodyAnOlderVersionWroteAsAnEscapedStringIsSentAsThatText() {
    String old = "{\"webhookId\":\"msg_1\",\"subscriptionId\":\"sub_1\",\"eventId\":\"e1\",\"eventType\":\"t\","
        + "\"payload\":\"{\\\"type\\\":\\\"t\\\"}\",\"attempt\":1,\"notBefore\":0}";
    DeliveryTask task = DeliveryJson.read(old.getBytes(StandardCharsets.UTF_8), DeliveryTask.class);
    assertThat(new String(task.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"t\"}");
  }

  @Test
  void aTaskEmbeddedInADeadLetterIsItsOwnJson() throws Exception {
    DeliveryTask task = Tasks.webhook("msg_1", "sub_1", "e1", "report.published", "a",
        Instant.parse("2024-05-01T00:00:00Z"), "{\"a\":[1,2]}", 1, 0, 0, 7);
    byte[] record = DeliveryJson.write(Map.of("task", task, "reason", "r"));
    var node = DeliveryJson.mapper().readTree(record);
    assertThat(node.get("task").get("payload").get("a").get(1).asInt()).isEqualTo(2);
    assertThat(DeliveryJson.mapper().treeToValue(node.get("task"), DeliveryTask.class)).isEqualTo(task);
  }

  @Test
  void aRetrysDueTimeTravelsWithItThroughEveryHop() {
    DeliveryTask task = Tasks.webhook("msg_1", "sub_1", "e1", "report.published", "a",
        Instant.parse("2024-05-01T00:00:00Z"), "{}", 1, 0, 0, 7).nextAttempt(5_000, 240_000);
    DeliveryTask back = DeliveryJson.read(DeliveryJson.write(task.hopped(10_000)), DeliveryTask.class);
    assertThat(back.attempt()).isEqualTo(2);
    assertThat(back.notBefore()).isEqualTo(10_000);
    assertThat(back.dueAt()).isEqualTo(240_000);
    assertThat(back.due()).isEqualTo(240_000);
  }
}
