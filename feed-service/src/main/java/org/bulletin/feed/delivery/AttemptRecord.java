package org.bulletin.feed.delivery;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One delivery attempt (or skip) as the engine writes it to the attempts topic, for every channel;
 * each channel materializes its own view of them.
 *
 * @param status HTTP status, or {@code null} when no response came
 * @param responseSnippet the start of the response body, at most {@code webhook.response.max.bytes}
 * @param error why no response came (timeout, connection refused, refused URL)
 * @param outcome delivered, retrying, failed (exhausted), disabled (410 or auto-disable), skipped
 * @param sourcePartition where the task's source record is, so it can be resent
 * @param urlHash a hash of the URL tried ({@link UrlHash}; never the URL, which may hold a token), or
 *     {@code null} when no request was made (a skip, an unresolved payload) or in records written
 *     before it existed: the "failing since" clock of every instance is folded from it
 */
public record AttemptRecord(
    String channel,
    String endpointId,
    String messageId,
    Map<String, String> labels,
    int attempt,
    Instant at,
    Integer status,
    long latencyMs,
    String responseSnippet,
    String error,
    String outcome,
    Instant nextAttemptAt,
    int sourcePartition,
    long sourceOffset,
    String urlHash) {

  public AttemptRecord {
    labels = labels == null ? Map.of() : labels;
  }

  /** Reads both shapes: this one, and the webhook attempts written before channels existed. */
  @JsonCreator
  static AttemptRecord read(@JsonProperty("channel") String channel, @JsonProperty("endpointId") String endpointId,
      @JsonProperty("messageId") String messageId, @JsonProperty("labels") Map<String, String> labels,
      @JsonProperty("attempt") int attempt, @JsonProperty("at") Instant at, @JsonProperty("status") Integer status,
      @JsonProperty("latencyMs") long latencyMs, @JsonProperty("responseSnippet") String responseSnippet,
      @JsonProperty("error") String error, @JsonProperty("outcome") String outcome,
      @JsonProperty("nextAttemptAt") Instant nextAttemptAt, @JsonProperty("sourcePartition") int sourcePartition,
      @JsonProperty("sourceOffset") long sourceOffset, @JsonProperty("urlHash") String urlHash,
      @JsonProperty("webhookId") String webhookId, @JsonProperty("subscriptionId") String subscriptionId,
      @JsonProperty("eventId") String eventId, @JsonProperty("eventType") String eventType,
      @JsonProperty("reportId") String reportId) {
    if (labels == null && (eventId != null || eventType != null || reportId != null)) {
      labels = new LinkedHashMap<>();
      putIfSet(labels, "eventId", eventId);
      putIfSet(labels, "eventType", eventType);
      putIfSet(labels, "reportId", reportId);
    }
    return new AttemptRecord(channel == null ? TaskCodec.LEGACY_CHANNEL : channel,
        endpointId == null ? subscriptionId : endpointId, messageId == null ? webhookId : messageId, labels, attempt,
        at, status, latencyMs, responseSnippet, error, outcome, nextAttemptAt, sourcePartition, sourceOffset,
        urlHash);
  }

  private static void putIfSet(Map<String, String> map, String key, String value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  /** The label's value, or {@code null}. */
  public String label(String name) {
    return labels.get(name);
  }
}
