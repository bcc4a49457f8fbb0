package org.bulletin.producer.ingest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.bulletin.producer.extract.ArticleExtractor;
import org.bulletin.schema.EventJson;
import org.bulletin.schema.MeetingReport;
import org.bulletin.schema.SchemaValidator;
import org.bulletin.schema.Violation;

/**
 * Reads one submitted document, JSON per the schema or a plain-text article, into a valid
 * report. Every problem is a {@link ReportInputException} with a stable code. Thread-safe.
 */
public final class ReportReader {
  /** How a document is written. */
  public enum Format { JSON, TEXT }

  private final ArticleExtractor extractor = new ArticleExtractor();
  private final SchemaValidator validator = SchemaValidator.meetingReport();

  /**
   * @param expectedId the id the report must have (from a URL), or {@code null}; a document
   *     without an id takes it, one with another id is refused
   */
  public MeetingReport read(byte[] bytes, Format format, String expectedId) throws ReportInputException {
    if (bytes.length == 0 || new String(bytes, StandardCharsets.UTF_8).isBlank()) {
      throw new ReportInputException("empty-document", "the document is empty");
    }
    String text = decode(bytes);
    return format == Format.JSON ? readJson(text, expectedId) : readText(text, expectedId);
  }

  /** JSON when the name ends in .json or the text starts with '{'; otherwise an article. */
  public static Format sniff(String fileName, byte[] bytes) {
    if (fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".json")) {
      return Format.JSON;
    }
    for (byte b : bytes) {
      if (!Character.isWhitespace(b)) {
        return b == '{' ? Format.JSON : Format.TEXT;
      }
    }
    return Format.TEXT;
  }

  private MeetingReport readText(String text, String expectedId) throws ReportInputException {
    MeetingReport report = extractor.extract(text);
    if (expectedId != null) {
      report = report.withId(expectedId);
    }
    requireValid(EventJson.mapper().valueToTree(report));
    return report;
  }

  private MeetingReport readJson(String text, String expectedId) throws ReportInputException {
    JsonNode node;
    try {
      node = EventJson.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new ReportInputException("malformed-json", "the document is not valid JSON" + where + ": "
          + e.getOriginalMessage());
    }
    if (!(node instanceof ObjectNode object)) {
      throw new ReportInputException("not-an-object", "the document must be a JSON object");
    }
    JsonNode id = object.get("id");
    if (expectedId != null) {
      if (id != null && !id.isNull() && !expectedId.equals(id.asText())) {
        throw new ReportInputException("id-mismatch",
            "the document's id '" + id.asText() + "' differs from the id in the URL '" + expectedId + "'");
      }
      object.put("id", expectedId);
    } else if (id == null || id.isNull()) {
      deriveId(object);
    }
    requireValid(object);
    try {
      return EventJson.mapper().treeToValue(object, MeetingReport.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new ReportInputException("schema-violation", "the document does not match the schema: " + e.getMessage());
    }
  }

  /** Gives a document without an id the one its date and title derive; left alone if those are invalid. */
  private static void deriveId(ObjectNode object) {
    JsonNode title = object.get("title");
    JsonNode date = object.get("publishedDate");
    if (title != null && title.isTextual() && !title.asText().isBlank() && date != null && date.isTextual()) {
      try {
        object.put("id", ReportIds.derive(LocalDate.parse(date.asText()), title.asText()));
      } catch (DateTimeParseException ignored) {
        // The schema reports the date; no id is derived from it.
      }
    }
  }

  private void requireValid(JsonNode node) throws ReportInputException {
    List<Violation> violations = validator.validate(node);
    if (!violations.isEmpty()) {
      throw new ReportInputException("schema-violation",
          "the report does not match schema meeting-report v1 (" + violations.size() + " error"
              + (violations.size() == 1 ? "" : "s") + ")", violations);
    }
  }

  private static String decode(byte[] bytes) throws ReportInputException {
    for (byte b : bytes) {
      if (b == 0) {
        throw new ReportInputException("not-text", "the document is binary (it contains NUL bytes), not text");
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString().replaceFirst("^\uFEFF", "");
    } catch (CharacterCodingException e) {
      throw new ReportInputException("not-text", "the document is not UTF-8 text");
    }
  }
}
