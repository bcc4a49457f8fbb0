package org.bulletin.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * CloudEvents 1.0 Kafka protocol binding, binary content mode: attributes travel as {@code ce_*}
 * headers, the data as the JSON value, the report id as the record key. Decoding validates the
 * data against the schema, so consumers never act on an invalid event.
 */
public final class CloudEventCodec {
  public static final String SPEC_VERSION = "1.0";
  public static final String CONTENT_TYPE = "application/json";
  public static final String REPORT_SCHEMA_URI = "https://bulletin.dev/schemas/meeting-report/v1";
  public static final String RETRACTION_SCHEMA_URI = "https://bulletin.dev/schemas/report-retraction/v1";

  private final SchemaValidator reportValidator = SchemaValidator.meetingReport();
  private final SchemaValidator retractionValidator = SchemaValidator.retraction();

  /** The record carrying {@code event} on {@code topic}. */
  public ProducerRecord<String, byte[]> encode(String topic, ReportEvent event) {
    Headers headers = new RecordHeaders();
    put(headers, "ce_specversion", SPEC_VERSION);
    put(headers, "ce_id", event.eventId());
    put(headers, "ce_source", event.source());
    put(headers, "ce_type", event.type().ceType());
    put(headers, "ce_time", event.time().toString());
    put(headers, "ce_subject", event.reportId());
    put(headers, "ce_dataschema", event.type() == EventType.RETRACTED ? RETRACTION_SCHEMA_URI : REPORT_SCHEMA_URI);
    put(headers, "content-type", CONTENT_TYPE);
    try {
      byte[] value = EventJson.mapper().writeValueAsBytes(event.data());
      return new ProducerRecord<>(topic, null, event.reportId(), value, headers);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("event data cannot be serialized", e);
    }
  }

  /** The tombstone that makes the compacted topic forget a retracted report. */
  public ProducerRecord<String, byte[]> tombstone(String topic, String reportId) {
    return new ProducerRecord<>(topic, reportId, null);
  }

  /**
   * Decodes one record. A tombstone yields an empty result; anything that is not a valid event of
   * this contract is rejected with a reason.
   */
  public Optional<ReportEvent> decode(ConsumerRecord<String, byte[]> record) throws EventRejectedException {
    if (record.value() == null) {
      return Optional.empty();
    }
    Headers headers = record.headers();
    String specVersion = required(headers, "ce_specversion");
    if (!SPEC_VERSION.equals(specVersion)) {
      throw new EventRejectedException("unsupported-specversion", "ce_specversion is '" + specVersion + "', expected 1.0");
    }
    String id = required(headers, "ce_id");
    String source = required(headers, "ce_source");
    String ceType = required(headers, "ce_type");
    EventType type = EventType.fromCeType(ceType).orElseThrow(() ->
        new EventRejectedException("unknown-type", "ce_type '" + ceType + "' is not a report event type"));
    Instant time;
    try {
      time = Instant.parse(required(headers, "ce_time"));
    } catch (DateTimeParseException e) {
      throw new EventRejectedException("invalid-header", "ce_time is not an RFC 3339 timestamp");
    }
    String contentType = header(headers, "content-type");
    if (contentType != null && !contentType.startsWith(CONTENT_TYPE)) {
      throw new EventRejectedException("unsupported-content-type", "content-type is '" + contentType + "'");
    }
    JsonNode data = parse(record.value());
    List<Violation> violations = (type == EventType.RETRACTED ? retractionValidator : reportValidator).validate(data);
    if (!violations.isEmpty()) {
      throw new EventRejectedException("schema-violation", violations.stream()
          .map(v -> (v.pointer().isEmpty() ? "/" : v.pointer()) + ": " + v.message())
          .collect(Collectors.joining("; ")));
    }
    String dataId = data.path("id").asText();
    if (record.key() == null || !record.key().equals(dataId)) {
      throw new EventRejectedException("key-mismatch", "record key '" + record.key() + "' differs from data id '" + dataId + "'");
    }
    try {
      if (type == EventType.RETRACTED) {
        Retraction retraction = EventJson.mapper().treeToValue(data, Retraction.class);
        return Optional.of(new ReportEvent(id, type, dataId, time, source, null, retraction));
      }
      MeetingReport report = EventJson.mapper().treeToValue(data, MeetingReport.class);
      return Optional.of(new ReportEvent(id, type, dataId, time, source, report, null));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new EventRejectedException("invalid-data", "data does not map to the model: " + firstLine(e.getMessage()), e);
    }
  }

  /** Jackson's UTF-8 parser rejects malformed bytes itself, so the value is read once. */
  private static JsonNode parse(byte[] value) throws EventRejectedException {
    try {
      JsonNode node = EventJson.mapper().readTree(value);
      if (node == null || !node.isObject()) {
        throw new EventRejectedException("not-json", "value is not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new EventRejectedException("not-json", "value is not JSON: " + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  private static String required(Headers headers, String name) throws EventRejectedException {
    String value = header(headers, name);
    if (value == null || value.isEmpty()) {
      throw new EventRejectedException("missing-header", "header " + name + " is missing");
    }
    return value;
  }

  /** The last value of a header as UTF-8 text, or {@code null}. */
  public static String header(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static void put(Headers headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
