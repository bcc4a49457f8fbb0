package org.bulletin.feed.delivery;

import java.time.Instant;

/**
 * One delivery attempt as the attempt log keeps it.
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
    long sourceOffset) {}
