package org.bulletin.feed.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class TaskReaderTest {
  private final TaskReader reader = new TaskReader(10_000);

  private static DeliveryTask task(String subscriptionId) {
    return Tasks.webhook("msg_1", subscriptionId, "e1", "report.published", "r1",
        Instant.parse("2024-05-01T00:00:00Z"), "{\"type\":\"report.published\"}", 1, 0, 0, 7);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aCompleteTaskIsRead() {
    TaskReader.Read read = reader.read(DeliveryJson.write(task("sub_1")));
    assertThat(read.poison()).isFalse();
    assertThat(read.task()).isEqualTo(task("sub_1"));
  }

  @Test
  void nullUnparsableIncompleteAndOversizeRecordsArePoisonWithTheReason() {
    assertThat(reader.read(null).problem()).isEqualTo("the record has no value");
    assertThat(reader.read(utf8("{not json")).problem()).startsWith("not a delivery task");
    assertThat(reader.read(utf8("null")).problem()).contains("JSON null");
    assertThat(reader.read(DeliveryJson.write(task(null))).problem()).isEqualTo("the task has no endpointId");
    assertThat(reader.read(DeliveryJson.write(task(" "))).problem()).isEqualTo("the task has no endpointId");
    assertThat(reader.read(utf8("{\"subscriptionId\":\"s\",\"webhookId\":\"w\",\"attempt\":1}")).problem())
        .isEqualTo("the task has no payload");
    assertThat(reader.read(new byte[10_001]).problem()).contains("10001 bytes").contains("10000");
  }

  @Test
  void theDeadLetterRecordSaysWhereTheRecordWasAndWhy() throws Exception {
    ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("tasks", 2, 41, "sub_9", utf8("{not json"));
    JsonNode json = DeliveryJson.mapper().readTree(TaskReader.deadLetter(record, "not a delivery task"));
    assertThat(json.path("reason").asText()).isEqualTo("not a delivery task");
    assertThat(json.path("topic").asText()).isEqualTo("tasks");
    assertThat(json.path("partition").asInt()).isEqualTo(2);
    assertThat(json.path("offset").asLong()).isEqualTo(41);
    assertThat(json.path("key").asText()).isEqualTo("sub_9");
    assertThat(json.path("value").asText()).isEqualTo("{not json");
  }
}
