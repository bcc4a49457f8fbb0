package org.bulletin.producer.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bulletin.testkit.HostileText.forInput;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.bulletin.schema.MeetingReport;
import org.bulletin.schema.Violation;
import org.bulletin.testkit.HostileText;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Any character XML 1.0 forbids, in any text field of a JSON report, is refused naming the field's
 * JSON pointer and the code point; the same text without it is accepted.
 */
class ForbiddenCharacterRefusalTest {
  // Escapes every non-ASCII character, so lone surrogates travel as \\uD800 as a client would send them.
  private static final JsonMapper ESCAPING = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
  private static final List<String> POINTERS = List.of("/title", "/district", "/presider/name", "/presider/role",
      "/attendees/0/name", "/attendees/1/role", "/source", "/body/0", "/body/2", "/summary");
  private final ReportReader reader = new ReportReader();

  static Stream<Arguments> forbiddenInPastedText() {
    HostileText gen = HostileText.seeded(0x7A0D_0C01L);
    return Stream.generate(() -> Arguments.of(gen.oneOf(POINTERS), pasted(gen), gen.forbidden(), pasted(gen)))
        .limit(400);
  }

  static Stream<Arguments> pastedText() {
    HostileText gen = HostileText.seeded(0x7A0D_0C02L);
    return Stream.generate(() -> Arguments.of(gen.oneOf(POINTERS), pasted(gen))).limit(200);
  }

  /** Anything a person can paste: letters of any script, emoji (valid pairs), punctuation, tabs, newlines. */
  private static String pasted(HostileText gen) {
    return "x" + gen.pasted(1, 20) + "\uD83C\uDFDB";
  }

  private static ObjectNode report() {
    ObjectNode doc = ESCAPING.createObjectNode();
    doc.put("id", "a-report").put("title", "Title").put("publishedDate", "2024-03-05").put("district", "Erqi District")
        .put("source", "Erqi Daily").put("summary", "Summary.");
    doc.putObject("presider").put("name", "Sun Li").put("role", "district head");
    doc.putArray("attendees").add(ESCAPING.createObjectNode().put("name", "Gao Feng"))
        .add(ESCAPING.createObjectNode().put("name", "Xu Qing").put("role", "deputy head"));
    doc.putArray("body").add("One.").add("Two.").add("Three.");
    return doc;
  }

  private static ObjectNode with(String pointer, String text) {
    ObjectNode doc = report();
    int slash = pointer.lastIndexOf('/');
    String parent = pointer.substring(0, slash);
    String last = pointer.substring(slash + 1);
    var node = parent.isEmpty() ? doc : doc.at(parent);
    if (node.isArray()) {
      ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(Integer.parseInt(last), doc.textNode(text));
    } else {
      ((ObjectNode) node).put(last, text);
    }
    return doc;
  }

  private MeetingReport read(ObjectNode doc) throws Exception {
    return reader.read(ESCAPING.writeValueAsString(doc).getBytes(StandardCharsets.UTF_8), ReportReader.Format.JSON,
        null);
  }

  @ParameterizedTest(name = "case {index}")
  @MethodSource("forbiddenInPastedText")
  void forbiddenCharacterIsRefusedNamingPointerAndCodePoint(String pointer, String before, char bad, String after) {
    forInput(pointer + " = " + before + bad + after,
        () -> refusedNamingPointerAndCodePoint(pointer, before, bad, after));
  }

  private void refusedNamingPointerAndCodePoint(String pointer, String before, char bad, String after) {
    String codePoint = String.format(Locale.ROOT, "U+%04X", (int) bad);
    ReportInputException e = null;
    try {
      read(with(pointer, before + bad + after));
    } catch (ReportInputException refused) {
      e = refused;
    } catch (Exception other) {
      throw new AssertionError(other);
    }
    assertThat(e).as("refused").isNotNull();
    assertThat(e.code()).isEqualTo("illegal-character");
    assertThat(e.violations()).extracting(Violation::pointer).containsExactly(pointer);
    assertThat(e.getMessage()).isEqualTo(pointer + " contains " + codePoint + ", which XML 1.0 does not allow"
        + " (character " + (before.length() + 1) + ")");
  }

  @ParameterizedTest(name = "case {index}")
  @MethodSource("pastedText")
  void anyPastedTextIsAccepted(String pointer, String text) {
    forInput(pointer + " = " + text, () -> {
      MeetingReport report = read(with(pointer, text));
      assertThat(org.bulletin.schema.EventJson.mapper().valueToTree(report).at(pointer).asText()).isEqualTo(text);
    });
  }
}
