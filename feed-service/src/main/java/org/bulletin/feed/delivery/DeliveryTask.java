package org.bulletin.feed.delivery;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.io.IOException;
import java.time.Instant;

/**
 * One event to deliver to one endpoint, durable in Kafka before the source event is committed.
 *
 * @param webhookId stable per event and endpoint; the same on every attempt and every repeat
 * @param payload the exact body to send
 * @param attempt the number of the attempt this record asks for (1-based)
 * @param notBefore when that attempt may start (epoch millis)
 * @param sourcePartition partition of the report event, for resend
 * @param sourceOffset offset of the report event, for resend
 */
public record DeliveryTask(
    String webhookId,
    String subscriptionId,
    String eventId,
    String eventType,
    String reportId,
    Instant eventTime,
    // Kept as JSON, not as an escaped string: escaping every body dominated fan-out profiles.
    @JsonRawValue @JsonDeserialize(using = RawJson.class) String payload,
    int attempt,
    long notBefore,
    int sourcePartition,
    long sourceOffset) {

  public DeliveryTask nextAttempt(long notBefore) {
    return new DeliveryTask(webhookId, subscriptionId, eventId, eventType, reportId, eventTime, payload, attempt + 1,
        notBefore, sourcePartition, sourceOffset);
  }

  public DeliveryTask deferred(long notBefore) {
    return new DeliveryTask(webhookId, subscriptionId, eventId, eventType, reportId, eventTime, payload, attempt,
        notBefore, sourcePartition, sourceOffset);
  }

  /** Reads the raw payload back as the exact compact JSON text that was written. */
  static final class RawJson extends JsonDeserializer<String> {
    @Override
    public String deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      JsonNode node = p.readValueAsTree();
      return node.isTextual() ? node.asText() : node.toString();
    }
  }
}
