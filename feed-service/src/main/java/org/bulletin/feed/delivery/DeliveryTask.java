package org.bulletin.feed.delivery;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One message to deliver to one endpoint of one channel, durable in Kafka before its source is
 * committed. The engine does not look into the payload: it POSTs exactly these bytes with this
 * content type, the extra headers and its endpoint's signature. Encoded by {@link TaskCodec}
 * (which also reads tasks written before channels existed, as webhook tasks).
 *
 * @param channel whose endpoint this is ({@code "webhook"}, {@code "websub"}): picks the directory
 * @param endpointId the endpoint in that channel's directory; the record key, so one endpoint's
 *     tasks stay in one partition, in order
 * @param messageId stable per message and endpoint: the same on every attempt and every repeat
 *     (the webhook-id of webhooks)
 * @param labels what the attempt log shows and indexes (webhooks: eventId, eventType, reportId);
 *     small, never {@code null}
 * @param createdAt when the message came to be (the event's time), for the latency metric
 * @param contentType the body's Content-Type; an {@code application/json} payload must be one JSON
 *     value (it travels as JSON, unescaped)
 * @param headers extra request headers, each with one or more values (WebSub's two Link headers); never
 *     {@code null}
 * @param payload the exact body to send
 * @param attempt the number of the attempt this record asks for (1-based)
 * @param notBefore when that attempt may start (epoch millis)
 * @param sourcePartition partition of the source record (for resend), or -1
 * @param sourceOffset offset of the source record (for resend), or -1
 * @param dueAt when the attempt is due (epoch millis); later than {@code notBefore} while a retry
 *     still has hops to make through retry tiers, or a remainder to wait at release; 0 in tasks
 *     written before it existed (then {@code notBefore} is the due time)
 */
@JsonSerialize(using = TaskCodec.Serializer.class)
@JsonDeserialize(using = TaskCodec.Deserializer.class)
public record DeliveryTask(
    String channel,
    String endpointId,
    String messageId,
    Map<String, String> labels,
    Instant createdAt,
    String contentType,
    Map<String, List<String>> headers,
    byte[] payload,
    int attempt,
    long notBefore,
    int sourcePartition,
    long sourceOffset,
    long dueAt) {

  public static final String JSON = "application/json";

  public DeliveryTask {
    labels = labels == null ? Map.of() : labels;
    headers = headers == null ? Map.of() : headers;
    contentType = contentType == null ? JSON : contentType;
  }

  /** A first attempt, due at {@code notBefore}. */
  public static DeliveryTask first(String channel, String endpointId, String messageId, Map<String, String> labels,
      Instant createdAt, String contentType, Map<String, List<String>> headers, byte[] payload, long notBefore,
      int sourcePartition, long sourceOffset) {
    return new DeliveryTask(channel, endpointId, messageId, labels, createdAt, contentType, headers, payload, 1,
        notBefore, sourcePartition, sourceOffset, notBefore);
  }

  /** The label's value, or {@code null}. */
  public String label(String name) {
    return labels.get(name);
  }

  /** The next attempt, due at {@code dueAt}; its next hop is released at {@code notBefore}. */
  public DeliveryTask nextAttempt(long notBefore, long dueAt) {
    return new DeliveryTask(channel, endpointId, messageId, labels, createdAt, contentType, headers, payload,
        attempt + 1, notBefore, sourcePartition, sourceOffset, dueAt);
  }

  public DeliveryTask nextAttempt(long notBefore) {
    return nextAttempt(notBefore, notBefore);
  }

  /** The same attempt, parked until {@code notBefore}. */
  public DeliveryTask deferred(long notBefore) {
    return new DeliveryTask(channel, endpointId, messageId, labels, createdAt, contentType, headers, payload, attempt,
        notBefore, sourcePartition, sourceOffset, notBefore);
  }

  /** The same attempt on its next hop, released at {@code notBefore}, still due at {@link #dueAt}. */
  public DeliveryTask hopped(long notBefore) {
    return new DeliveryTask(channel, endpointId, messageId, labels, createdAt, contentType, headers, payload, attempt,
        notBefore, sourcePartition, sourceOffset, dueAt);
  }

  /** When the attempt may start: the later of the hop's release and the due time. */
  public long due() {
    return Math.max(notBefore, dueAt);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeliveryTask t && attempt == t.attempt && notBefore == t.notBefore
        && sourcePartition == t.sourcePartition && sourceOffset == t.sourceOffset && dueAt == t.dueAt
        && Objects.equals(channel, t.channel) && Objects.equals(endpointId, t.endpointId)
        && Objects.equals(messageId, t.messageId) && labels.equals(t.labels)
        && Objects.equals(createdAt, t.createdAt) && contentType.equals(t.contentType) && headers.equals(t.headers)
        && Arrays.equals(payload, t.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(channel, endpointId, messageId, attempt, notBefore, dueAt);
  }

  @Override
  public String toString() {
    return "DeliveryTask[" + channel + "/" + endpointId + " " + messageId + " attempt " + attempt + ", "
        + (payload == null ? "no" : payload.length) + " bytes " + contentType + "]";
  }
}
