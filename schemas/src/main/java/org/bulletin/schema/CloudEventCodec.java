package org.bulletin.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
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
 *
 * <p>Two extension attributes (an additive change to v1) carry what subscription filters match:
 * {@value #DISTRICT_HEADER} (the report's district; absent when it names none) and
 * {@value #TAGS_HEADER} (its tags joined by commas; empty when it has none). Every event this
 * codec writes has {@value #TAGS_HEADER} when its facets are known, so its absence means unknown.
 * Decoding takes the facets of published and corrected events from the data, and those of a
 * retraction from the attributes; a retraction without them, or with attributes that break the
 * report rules, decodes with unknown facets rather than being refused, so the retraction itself
 * still applies.
 */
public final class CloudEventCodec {
  public static final String SPEC_VERSION = "1.0";
  public static final String CONTENT_TYPE = "application/json";
  public static final String REPORT_SCHEMA_URI = "https://bulletin.dev/schemas/meeting-report/v1";
  public static final String RETRACTION_SCHEMA_URI = "https://bulletin.dev/schemas/report-retraction/v1";
  /** Extension attribute {@code bulletindistrict} in the Kafka binary binding. */
  public static final String DISTRICT_HEADER = "ce_bulletindistrict";
  /** Extension attribute {@code bulletintags} in the Kafka binary binding. */
  public static final String TAGS_HEADER = "ce_bulletintags";

  private final SchemaValidator reportValidator = SchemaValidator.meetingReport();
  private final SchemaValidator retractionValidator = SchemaValidator.retraction();
  private final Clock clock;

  public CloudEventCodec() {
    this(Clock.systemUTC());
  }

  /** @param clock the reference for records without a timestamp (Kafka stamps every record it stores) */
  public CloudEventCodec(Clock clock) {
    this.clock = clock;
  }

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
    putFacets(headers, event.facets());
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
   *
   * <p>Times are judged against the record itself, never against the clock: {@code ce_time} may be
   * at most a day ahead of the record's Kafka timestamp (which the broker bounds), and the report's
   * dates at most a day ahead of {@code ce_time}. So the same record gets the same verdict on every
   * replay, and a date accepted at ingest is never refused later. (Kafka 4 refuses a record stamped
   * more than {@code log.message.timestamp.after.max.ms}, one hour by default, ahead of the broker.)
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
    Instant reference = record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : clock.instant();
    if (!ReportRules.timeInRange(time, reference)) {
      throw new EventRejectedException("time-out-of-range", "ce_time " + time + (time.isAfter(reference)
          ? " is more than a day after the record's timestamp " + reference : " is before " + ReportRules.EARLIEST));
    }
    String contentType = header(headers, "content-type");
    if (contentType != null && !contentType.startsWith(CONTENT_TYPE)) {
      throw new EventRejectedException("unsupported-content-type", "content-type is '" + contentType + "'");
    }
    JsonNode data = parse(record.value());
    // The hand-written verdict is the fast path; the interpreting validator names what is wrong.
    boolean valid = type == EventType.RETRACTED ? SchemaVerdict.retraction(data) : SchemaVerdict.meetingReport(data);
    List<Violation> violations = valid ? List.of()
        : (type == EventType.RETRACTED ? retractionValidator : reportValidator).validate(data);
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
        return Optional.of(new ReportEvent(id, type, dataId, time, source, null, retraction, facets(headers)));
      }
      MeetingReport report = EventJson.mapper().treeToValue(data, MeetingReport.class);
      requireDatesInRange(report, time);
      return Optional.of(new ReportEvent(id, type, dataId, time, source, report, null, null));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new EventRejectedException("invalid-data", "data does not map to the model: " + firstLine(e.getMessage()), e);
    }
  }

  private static void putFacets(Headers headers, ReportFacets facets) {
    if (facets == null) {
      return;
    }
    if (facets.district() != null) {
      put(headers, DISTRICT_HEADER, facets.district());
    }
    put(headers, TAGS_HEADER, String.join(",", facets.tags()));
  }

  /**
   * The facets the extension attributes of a record state, or {@code null} when it has none or
   * they break the report rules (then they are unknown, never guessed).
   */
  public static ReportFacets facets(Headers headers) {
    String tags = header(headers, TAGS_HEADER);
    if (tags == null) {
      return null;
    }
    ReportFacets facets = new ReportFacets(header(headers, DISTRICT_HEADER),
        tags.isEmpty() ? List.of() : List.of(tags.split(",", -1)));
    return facets.valid() ? facets : null;
  }

  private static void requireDatesInRange(MeetingReport report, Instant time) throws EventRejectedException {
    requireInRange("/publishedDate", report.publishedDate(), time);
    requireInRange("/meetingDate", report.meetingDate(), time);
  }

  private static void requireInRange(String pointer, LocalDate date, Instant time) throws EventRejectedException {
    if (date != null && !ReportRules.dateInRange(date, time)) {
      throw new EventRejectedException("date-out-of-range", pointer + " is " + date + ", outside "
          + ReportRules.EARLIEST + " to " + ReportRules.latest(time) + " (at most a day after the event's time "
          + time + ")");
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
