package org.bulletin.feed.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Tasks as the webhook channel makes them, for the engine's tests. */
final class Tasks {
  private Tasks() {}

  static DeliveryTask webhook(String messageId, String endpointId, String eventId, String eventType, String reportId,
      Instant createdAt, String payload, int attempt, long notBefore, int sourcePartition, long sourceOffset) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("eventId", eventId);
    labels.put("eventType", eventType);
    if (reportId != null) {
      labels.put("reportId", reportId);
    }
    return new DeliveryTask("webhook", endpointId, messageId, labels, createdAt, DeliveryTask.JSON, Map.of(),
        payload == null ? null : payload.getBytes(StandardCharsets.UTF_8), attempt, notBefore, sourcePartition,
        sourceOffset, notBefore);
  }
}
