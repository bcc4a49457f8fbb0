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
 * @param dueAt when the attempt is due (epoch millis); later than {@code notBefore} while a retry
 *     still has hops to make through retry tiers, or a remainder to wait at release; 0 in tasks
 *     written before it existed (then {@code notBefore} is the due time)
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
    long sourceOffset,
    long dueAt) {

  /** A task due as soon as {@code notBefore}. */
  public DeliveryTask(String webhookId, String subscriptionId, String eventId, String eventType, String reportId,
      Instant eventTime, String payload, int attempt, long notBefore, int sourcePartition, long sourceOffset) {
    this(webhookId, subscriptionId, eventId, eventType, reportId, eventTime, payload, attempt, notBefore,
        sourcePartition, sourceOffset, notBefore);
  }

  /** The next attempt, due at {@code dueAt}; its next hop is released at {@code notBefore}. */
  public DeliveryTask nextAttempt(long notBefore, long dueAt) {
    return new DeliveryTask(webhookId, subscriptionId, eventId, eventType, reportId, eventTime, payload, attempt + 1,
        notBefore, sourcePartition, sourceOffset, dueAt);
  }

  public DeliveryTask nextAttempt(long notBefore) {
    return nextAttempt(notBefore, notBefore);
  }

  /** The same attempt, parked until {@code notBefore}. */
  public DeliveryTask deferred(long notBefore) {
    return new DeliveryTask(webhookId, subscriptionId, eventId, eventType, reportId, eventTime, payload, attempt,
        notBefore, sourcePartition, sourceOffset, notBefore);
  }

  /** The same attempt on its next hop, released at {@code notBefore}, still due at {@link #dueAt}. */
  public DeliveryTask hopped(long notBefore) {
    return new DeliveryTask(webhookId, subscriptionId, eventId, eventType, reportId, eventTime, payload, attempt,
        notBefore, sourcePartition, sourceOffset, dueAt);
  }

  /** When the attempt may start: the later of the hop's release and the due time. */
  public long due() {
    return Math.max(notBefore, dueAt);
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
