package org.bulletin.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.bulletin.testkit.HostileText;
import org.junit.jupiter.api.Test;

/**
 * The hand-written verdict answers exactly what the interpreting validator answers, on valid
 * reports, on a violation of every rule of both schemas, at every boundary, and on thousands of
 * hostile documents.
 */
class SchemaVerdictTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private final SchemaValidator reports = SchemaValidator.meetingReport();
  private final SchemaValidator retractions = SchemaValidator.retraction();
  private int accepted;
  private int rejected;

  private static ObjectNode full() {
    return EventJson.mapper().valueToTree(Reports.full());
  }

  private void sameVerdictOnReport(JsonNode doc) {
    boolean expected = reports.validate(doc).isEmpty();
    HostileText.forInput(doc.toString(), () -> assertThat(SchemaVerdict.meetingReport(doc)).isEqualTo(expected));
    if (expected) {
      accepted++;
    } else {
      rejected++;
    }
  }

  private void sameVerdictOnRetraction(JsonNode doc) {
    boolean expected = retractions.validate(doc).isEmpty();
    HostileText.forInput(doc.toString(), () -> assertThat(SchemaVerdict.retraction(doc)).isEqualTo(expected));
  }

  private static String repeat(String s, int n) {
    return s.repeat(n);
  }

  /** Values of every JSON type and the strings at every boundary the schemas draw. */
  private static List<JsonNode> values() {
    List<JsonNode> out = new ArrayList<>(List.of(F.nullNode(), F.booleanNode(true), F.numberNode(7), F.numberNode(1.5),
        F.objectNode(), F.arrayNode(), F.textNode("")));
    for (int n : new int[] {1, 2, 63, 64, 65, 126, 127, 128, 129, 200, 201, 500, 501, 1000, 1001, 2000, 2001}) {
      out.add(F.textNode(repeat("a", n)));
      out.add(F.textNode(repeat("\uD83C\uDFDB", n))); // n code points, 2n UTF-16 units
      out.add(F.textNode("a" + repeat("-", Math.max(0, n - 2)) + "z"));
    }
    for (String s : List.of("abc", "ABC", "a-b", "-ab", "ab-", "a_b", "abc\n", "\nabc", "ab c", "é", "a\u0000b", "\uD800",
        "2024-02-29", "2023-02-29", "2024-13-01", "2024-00-10", "0000-01-01", "9999-12-31", "2024-1-01", "2024-01-01\n",
        "2024-01-01T00:00", "+2024-01-01", "１２３４-01-01", "en", "zh-Hans", "e", "engl", "en-", "en-a", "en-abcdefghi",
        "EN", "en-US-x1", "http://example.org/a", "https://example.org/a?q=1", "https://example.org/?q=[1]",
        "https://example.org/a#[x]", "http://exämple.org/", "relative/path", "/abs/path", "mailto:a@b", "a:", ":",
        "//host/x", "http://exa mple.org", "http://[::1]/", "ftp://x", "javascript:alert(1)", "http://", "http:x",
        "http://example.org/\u007F", "http://example.org/%zz", "urn:isbn:123", "x://", "1http://a")) {
      out.add(F.textNode(s));
    }
    return out;
  }

  @Test
  void acceptsAndRejectsLikeTheInterpretingValidatorForEveryFieldValue() {
    List<String> fields = List.of("id", "title", "publishedDate", "meetingDate", "district", "presider", "attendees",
        "source", "sourceUrl", "body", "summary", "tags", "language", "surprise");
    for (String field : fields) {
      for (JsonNode value : values()) {
        ObjectNode doc = full();
        doc.set(field, value);
        sameVerdictOnReport(doc);
        // Inside arrays and officials too.
        ObjectNode inBody = full();
        inBody.putArray("body").add(value);
        sameVerdictOnReport(inBody);
        ObjectNode inTags = full();
        inTags.putArray("tags").add(value);
        sameVerdictOnReport(inTags);
        ObjectNode official = F.objectNode().put("name", "Wei Dong");
        official.set(field.equals("surprise") ? "role" : field, value);
        ObjectNode asPresider = full();
        asPresider.set("presider", official.deepCopy());
        sameVerdictOnReport(asPresider);
        ObjectNode asAttendee = full();
        asAttendee.putArray("attendees").add(official.deepCopy());
        sameVerdictOnReport(asAttendee);
        ObjectNode named = full();
        named.putArray("attendees").add(F.objectNode().set("name", value));
        sameVerdictOnReport(named);
        ObjectNode retraction = F.objectNode().put("id", "a-report");
        retraction.set(field.equals("surprise") ? "surprise" : field.equals("id") ? "id" : "reason", value);
        sameVerdictOnRetraction(retraction);
      }
    }
    assertThat(accepted).as("valid documents among the cases").isGreaterThan(100);
    assertThat(rejected).as("invalid documents among the cases").isGreaterThan(1000);
  }

  @Test
  void judgesEveryRuleOfBothSchemasLikeTheInterpretingValidator() {
    List<Consumer<ObjectNode>> rules = List.of(
        d -> d.remove("id"), d -> d.remove("title"), d -> d.remove("publishedDate"), d -> d.remove("body"),
        d -> d.remove("meetingDate"), d -> d.remove("district"), d -> d.remove("presider"), d -> d.remove("attendees"),
        d -> d.remove("source"), d -> d.remove("sourceUrl"), d -> d.remove("summary"), d -> d.remove("tags"),
        d -> d.remove("language"),
        d -> d.putArray("body"), d -> d.set("body", strings(2000, "p")), d -> d.set("body", strings(2001, "p")),
        d -> d.set("body", F.arrayNode().add(repeat("x", 100_000))),
        d -> d.set("body", F.arrayNode().add(repeat("x", 100_001))),
        d -> d.set("body", F.arrayNode().add(repeat("\uD83C\uDFDB", 60_000))),
        d -> d.set("tags", strings(50, "t")), d -> d.set("tags", strings(51, "t")),
        d -> d.set("tags", F.arrayNode().add("economy").add("economy")),
        d -> d.set("tags", F.arrayNode().add("economy").add(F.numberNode(1))),
        d -> d.set("attendees", officials(500)), d -> d.set("attendees", officials(501)),
        d -> d.set("attendees", F.arrayNode().add(F.objectNode())),
        d -> d.set("attendees", F.arrayNode().add(F.objectNode().put("name", "A").put("extra", 1))),
        d -> d.set("attendees", F.arrayNode().add(F.objectNode().put("name", "A").putNull("role"))),
        d -> d.set("presider", F.objectNode().put("role", "chair")),
        d -> d.set("presider", F.objectNode().put("name", "A").put("role", "")),
        d -> d.set("presider", F.arrayNode()),
        d -> d.set("attendees", F.arrayNode().addNull()));
    for (Consumer<ObjectNode> rule : rules) {
      ObjectNode doc = full();
      rule.accept(doc);
      sameVerdictOnReport(doc);
    }
    sameVerdictOnReport(full());
    sameVerdictOnReport(F.objectNode());
    sameVerdictOnReport(F.arrayNode());
    sameVerdictOnReport(F.textNode("x"));
    sameVerdictOnReport(F.nullNode());
    sameVerdictOnRetraction(F.objectNode().put("id", "a-report"));
    sameVerdictOnRetraction(F.objectNode().put("id", "a-report").putNull("reason"));
    sameVerdictOnRetraction(F.objectNode().put("id", "a-report").put("reason", repeat("r", 2000)));
    sameVerdictOnRetraction(F.objectNode().put("id", "a-report").put("reason", repeat("r", 2001)));
    sameVerdictOnRetraction(F.objectNode().put("reason", "no id"));
    sameVerdictOnRetraction(F.objectNode());
    sameVerdictOnRetraction(F.arrayNode());
    assertThat(accepted).isPositive();
    assertThat(rejected).isPositive();
  }

  @Test
  void judgesTheSampleReportsLikeTheInterpretingValidator() throws IOException {
    Path samples = Path.of(System.getProperty("bulletin.repo.root", "..")).resolve("samples");
    List<Path> files;
    try (Stream<Path> list = Files.list(samples)) {
      files = list.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      List<String> lines = Arrays.stream(Files.readString(file).split("\n")).filter(l -> !l.isBlank()).toList();
      ObjectNode doc = full();
      doc.put("title", lines.get(0).strip());
      doc.set("body", F.arrayNode().addAll(lines.subList(1, lines.size()).stream().map(l -> (JsonNode) F.textNode(l)).toList()));
      sameVerdictOnReport(doc);
    }
    assertThat(accepted).isEqualTo(files.size());
  }

  @Test
  void judgesHostileDocumentsLikeTheInterpretingValidator() {
    HostileText text = HostileText.seeded(20261127L);
    List<String> fields = List.of("id", "title", "publishedDate", "meetingDate", "district", "presider", "attendees",
        "source", "sourceUrl", "body", "summary", "tags", "language");
    for (int i = 0; i < 3000; i++) {
      ObjectNode doc = full();
      int mutations = text.between(1, 3);
      for (int m = 0; m < mutations; m++) {
        String field = text.oneOf(fields);
        Supplier<JsonNode> hostile = () -> hostileValue(text);
        switch (text.between(0, 5)) {
          case 0 -> doc.remove(field);
          case 1 -> doc.set(field, hostile.get());
          case 2 -> doc.set(field, F.arrayNode().addAll(text.list(0, 4, hostile)));
          case 3 -> doc.set(field, F.objectNode().set(text.oneOf(List.of("name", "role", text.any())), hostile.get()));
          case 4 -> doc.set(text.any(), hostile.get());
          default -> doc.set(field, F.textNode(text.pasted(0, 40)));
        }
      }
      sameVerdictOnReport(doc);
      ObjectNode retraction = F.objectNode();
      retraction.set(text.oneOf(List.of("id", "reason", text.any())), hostileValue(text));
      if (text.between(0, 1) == 0) {
        retraction.set("id", hostileValue(text));
      }
      sameVerdictOnRetraction(retraction);
    }
    assertThat(accepted).as("hostile documents that are valid").isPositive();
    assertThat(rejected).as("hostile documents that are invalid").isGreaterThan(1000);
  }

  private static JsonNode hostileValue(HostileText text) {
    return switch (text.between(0, 7)) {
      case 0 -> F.nullNode();
      case 1 -> F.numberNode(text.between(-5, 5));
      case 2 -> F.textNode(text.lowercase(1, 12) + (text.between(0, 1) == 0 ? "" : "-" + text.lowercase(1, 4)));
      case 3 -> F.textNode(String.format("%04d-%02d-%02d", text.between(0, 9999), text.between(0, 13), text.between(0, 32)));
      case 4 -> F.textNode(text.oneOf(List.of("http://", "https://", "", "ftp://", "//")) + text.any());
      case 5 -> F.textNode(text.pasted(1, 30));
      default -> F.textNode(text.any());
    };
  }

  private static ArrayNode strings(int n, String prefix) {
    ArrayNode out = F.arrayNode();
    for (int i = 0; i < n; i++) {
      out.add(prefix + i);
    }
    return out;
  }

  private static ArrayNode officials(int n) {
    ArrayNode out = F.arrayNode();
    for (int i = 0; i < n; i++) {
      out.add(F.objectNode().put("name", "Official " + i));
    }
    return out;
  }
}
