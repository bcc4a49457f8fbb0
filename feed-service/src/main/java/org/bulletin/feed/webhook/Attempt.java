package org.bulletin.feed.webhook;

import java.time.Instant;
import org.bulletin.feed.delivery.AttemptRecord;

/**
 * One delivery attempt to a webhook endpoint as the attempt log keeps it and the API shows it.
 *
 * @param status HTTP status, or {@code null} when no response came
 * @param responseSnippet the start of the response body, at most {@code webhook.response.max.bytes}
 * @param error why no response came (timeout, connection refused, refused URL)
 * @param outcome delivered, retrying, failed (exhausted), disabled (410 or auto-disable), skipped
 * @param sourcePartition where the report event is, so it can be resent
 */
public record Attempt(
    String webhookId,
    String subscriptionId,
    String eventId,
    String eventType,
    String reportId,
    int attempt,
    Instant at,
    Integer status,
    long latencyMs,
    String responseSnippet,
    String error,
    String outcome,
    Instant nextAttemptAt,
    int sourcePartition,
    long sourceOffset) {

  /** The webhook view of an engine attempt record of channel {@code webhook}. */
  public static Attempt of(AttemptRecord r) {
    return new Attempt(r.messageId(), r.endpointId(), r.label(WebhookPayloads.EVENT_ID),
        r.label(WebhookPayloads.EVENT_TYPE), r.label(WebhookPayloads.REPORT_ID), r.attempt(), r.at(), r.status(),
        r.latencyMs(), r.responseSnippet(), r.error(), r.outcome(), r.nextAttemptAt(), r.sourcePartition(),
        r.sourceOffset());
  }
}
