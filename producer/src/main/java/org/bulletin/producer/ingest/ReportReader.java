package org.bulletin.producer.ingest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.bulletin.producer.extract.ArticleExtractor;
import org.bulletin.schema.EventJson;
import org.bulletin.schema.MeetingReport;
import org.bulletin.schema.ReportRules;
import org.bulletin.schema.Retraction;
import org.bulletin.schema.SchemaValidator;
import org.bulletin.schema.Violation;
import org.bulletin.schema.XmlText;

/**
 * Reads one submitted document, JSON per the schema or a plain-text article, into a valid
 * report. Every problem is a {@link ReportInputException} with a stable code. Thread-safe.
 */
public final class ReportReader {
  /** How a document is written. */
  public enum Format { JSON, TEXT }

  private final ArticleExtractor extractor = new ArticleExtractor();
  private final SchemaValidator validator = SchemaValidator.meetingReport();
  private final SchemaValidator retractionValidator = SchemaValidator.retraction();
  private final Clock clock;

  public ReportReader() {
    this(Clock.systemUTC());
  }

  /** @param clock "now" for the date range: at most a day ahead of it */
  public ReportReader(Clock clock) {
    this.clock = clock;
  }

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

  /**
   * The retraction of {@code reportId}, checked as consumers will check it: a reason breaking the
   * retraction schema or holding characters XML forbids is refused here, not dead-lettered later.
   */
  public Retraction retraction(String reportId, String reason) throws ReportInputException {
    Retraction retraction = new Retraction(reportId, reason);
    JsonNode node = EventJson.mapper().valueToTree(retraction);
    List<ReportRules.Finding> findings = ReportRules.illegalCharacters(node);
    requireNoViolations(findings, retractionValidator.validate(node), "report-retraction v1");
    return retraction;
  }

  private MeetingReport readText(String text, String expectedId) throws ReportInputException {
    List<Violation> illegal = illegalCharacters(text);
    MeetingReport report;
    try {
      report = extractor.extract(text);
    } catch (ReportInputException e) {
      if (illegal.isEmpty()) {
        throw e;
      }
      List<Violation> all = new ArrayList<>(illegal);
      e.violations().stream().map(ReportReader::visible).forEach(all::add);
      throw illegalCharacters(all);
    }
    if (expectedId != null) {
      report = report.withId(expectedId);
    }
    JsonNode node = EventJson.mapper().valueToTree(report);
    if (illegal.isEmpty()) {
      requireValid(node);
      return report;
    }
    // Every problem at once; the characters are named by line, not again by field.
    List<Violation> all = new ArrayList<>(illegal);
    ReportRules.check(node, clock.instant()).stream()
        .filter(f -> f.kind() != ReportRules.Kind.ILLEGAL_CHARACTER)
        .forEach(f -> all.add(visible(f.violation())));
    validator.validate(node).stream().map(ReportReader::visible).forEach(all::add);
    throw illegalCharacters(all);
  }

  private static String where(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    return at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  private MeetingReport readJson(String text, String expectedId) throws ReportInputException {
    JsonNode node;
    try {
      node = EventJson.mapper().readTree(text);
    } catch (StreamConstraintsException e) {
      throw new ReportInputException("malformed-json", "the document cannot be read" + where(e) + ": "
          + JsonLimitMessage.of(e, EventJson.mapper().getFactory().streamReadConstraints()));
    } catch (JsonProcessingException e) {
      throw new ReportInputException("malformed-json", "the document is not valid JSON" + where(e) + ": "
          + e.getOriginalMessage());
    }
    if (!(node instanceof ObjectNode object)) {
      throw new ReportInputException("not-an-object", "the document must be a JSON object");
    }
    JsonNode id = object.get("id");
    boolean derived = expectedId == null && (id == null || id.isNull());
    if (expectedId != null) {
      if (id != null && !id.isNull() && !expectedId.equals(id.asText())) {
        throw new ReportInputException("id-mismatch",
            "the document's id '" + id.asText() + "' differs from the id in the URL '" + expectedId + "'");
      }
      object.put("id", expectedId);
    } else if (id == null || id.isNull()) {
      deriveId(object);
    }
    requireValid(object, derived && !object.hasNonNull("id"));
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
    requireValid(node, false);
  }

  /**
   * @param idUnderived the document left the id out for it to be derived, and the title or date
   *     did not allow it: the missing id is then no violation of its own, only a consequence
   */
  private void requireValid(JsonNode node, boolean idUnderived) throws ReportInputException {
    List<ReportRules.Finding> findings = ReportRules.check(node, clock.instant());
    List<Violation> schema = validator.validate(node);
    if (idUnderived) {
      boolean others = !findings.isEmpty() || schema.stream().anyMatch(v -> !v.pointer().equals("/id"));
      schema = others ? schema.stream().filter(v -> !v.pointer().equals("/id")).toList()
          : List.of(new Violation("/id", "is required: give one, or a title and publishedDate to derive it from"));
    }
    requireNoViolations(findings, schema, "meeting-report v1");
  }

  /**
   * Refuses a document that breaks a content rule or the schema, listing every violation. The
   * code is the first content rule broken (they are the more specific), else schema-violation.
   */
  private static void requireNoViolations(List<ReportRules.Finding> findings, List<Violation> schema, String name)
      throws ReportInputException {
    if (findings.isEmpty() && schema.isEmpty()) {
      return;
    }
    List<Violation> all = new ArrayList<>();
    Set<String> named = new HashSet<>();
    findings.stream().sorted(Comparator.comparing(ReportRules.Finding::kind)).forEach(f -> {
      all.add(visible(f.violation()));
      named.add(f.violation().pointer());
    });
    schema.stream().filter(v -> !named.contains(v.pointer())).map(ReportReader::visible).forEach(all::add);
    if (findings.isEmpty()) {
      throw new ReportInputException("schema-violation", "the report does not match schema " + name + " ("
          + all.size() + " error" + (all.size() == 1 ? "" : "s") + ")", all);
    }
    ReportRules.Finding first = findings.stream().min(Comparator.comparing(ReportRules.Finding::kind)).orElseThrow();
    Violation v = visible(first.violation());
    String detail = v.message().startsWith("/") || v.pointer().isEmpty() ? v.message() : v.pointer() + " " + v.message();
    throw new ReportInputException(first.kind().code(), detail
        + (all.size() > 1 ? " (and " + (all.size() - 1) + " more, listed in errors)" : ""), all);
  }

  /** A violation safe to echo: characters XML forbids are written as their names. */
  private static Violation visible(Violation v) {
    return new Violation(XmlText.visible(v.pointer()), XmlText.visible(v.message()));
  }

  /** At most this many characters XML forbids are named in one article. */
  private static final int ILLEGAL_NAMED = 20;

  /** Names the line and column of each character XML forbids in an article (the first {@value #ILLEGAL_NAMED}). */
  private static List<Violation> illegalCharacters(String text) {
    List<Violation> out = new ArrayList<>();
    int line = 1;
    int lineStart = 0;
    int more = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      if (cp == '\n') {
        line++;
        lineStart = i + 1;
      } else if (!XmlText.allowed(cp)) {
        if (out.size() < ILLEGAL_NAMED) {
          out.add(new Violation("", "line " + line + ", column " + (i - lineStart + 1) + " of the article contains "
              + XmlText.name(cp) + ", which XML 1.0 does not allow"));
        } else {
          more++;
        }
      }
      i += Character.charCount(cp);
    }
    if (more > 0) {
      out.add(new Violation("", "and " + more + " more characters XML 1.0 does not allow"));
    }
    return out;
  }

  private static ReportInputException illegalCharacters(List<Violation> all) {
    String first = all.get(0).message();
    return new ReportInputException(ReportRules.Kind.ILLEGAL_CHARACTER.code(), first
        + (all.size() > 1 ? " (and " + (all.size() - 1) + " more, listed in errors)" : ""), all);
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
