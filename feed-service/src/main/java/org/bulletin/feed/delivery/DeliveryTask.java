package org.bulletin.feed.delivery;

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
    String payload,
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
}
