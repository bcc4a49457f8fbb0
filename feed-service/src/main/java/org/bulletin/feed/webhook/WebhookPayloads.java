package org.bulletin.feed.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bulletin.feed.delivery.DeliveryTask;
import org.bulletin.schema.EventJson;
import org.bulletin.schema.ReportEvent;

/** Turns a report event into the delivery task of one subscription (Standard Webhooks body). */
public final class WebhookPayloads {
  /** The engine channel of webhook tasks. */
  public static final String CHANNEL = "webhook";
  /** Labels of webhook tasks and attempts. */
  public static final String EVENT_ID = "eventId";
  public static final String EVENT_TYPE = "eventType";
  public static final String REPORT_ID = "reportId";

  private WebhookPayloads() {}

  /** {@code msg_} and 32 hex digits derived from event and endpoint: the same on every repeat. */
  public static String webhookId(String eventId, String subscriptionId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((eventId + "|" + subscriptionId).getBytes(StandardCharsets.UTF_8));
      return "msg_" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String type(ReportEvent event) {
    return "report." + event.type().shortName();
  }

  /** {"type":"report.published","timestamp":"…","data":{…}} */
  public static String body(ReportEvent event) {
    ObjectNode body = EventJson.mapper().createObjectNode();
    body.put("type", type(event));
    body.put("timestamp", event.time().toString());
    body.set("data", EventJson.mapper().valueToTree(event.data()));
    return body.toString();
  }

  /** The task of one subscription; {@code body} is {@link #body(ReportEvent)}, built once per event. */
  public static DeliveryTask task(ReportEvent event, String body, String subscriptionId,
      ConsumerRecord<String, byte[]> source, long notBefore) {
    return task(event, body.getBytes(StandardCharsets.UTF_8), subscriptionId, source, notBefore);
  }

  /**
   * The task of one subscription; {@code body} is {@link #body(ReportEvent)} in UTF-8, encoded once
   * per event and shared by its tasks (never modified).
   */
  public static DeliveryTask task(ReportEvent event, byte[] body, String subscriptionId,
      ConsumerRecord<String, byte[]> source, long notBefore) {
    return task(event.eventId(), type(event), event.reportId(), event.time(), body, subscriptionId,
        source.partition(), source.offset(), notBefore);
  }

  /** A first attempt of a webhook message (a JSON body signed per Standard Webhooks). */
  public static DeliveryTask task(String eventId, String eventType, String reportId, Instant eventTime, byte[] body,
      String subscriptionId, int sourcePartition, long sourceOffset, long notBefore) {
    Map<String, String> labels = reportId == null ? Map.of(EVENT_ID, eventId, EVENT_TYPE, eventType)
        : Map.of(EVENT_ID, eventId, EVENT_TYPE, eventType, REPORT_ID, reportId);
    return DeliveryTask.first(CHANNEL, subscriptionId, webhookId(eventId, subscriptionId), labels, eventTime,
        DeliveryTask.JSON, Map.of(), body, notBefore, sourcePartition, sourceOffset);
  }
}
