package org.bulletin.producer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.bulletin.schema.MeetingReport;
import org.bulletin.schema.Violation;

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

  @Provide
  Arbitrary<Character> forbidden() {
    return Arbitraries.oneOf(Arbitraries.chars().range('\u0000', '\u0008'), Arbitraries.of('\u000B', '\u000C'),
        Arbitraries.chars().range('\u000E', '\u001F'), Arbitraries.chars().range('\uD800', '\uDFFF'),
        Arbitraries.of('\uFFFE', '\uFFFF'));
  }

  @Provide
  Arbitrary<String> pasted() {
    // Anything a person can paste: letters of any script, emoji (valid pairs), punctuation, tabs, newlines.
    return Arbitraries.strings().withCharRange(' ', '\uD7FF').withChars('\t', '\n', '\r', '\u00A0', '\uFFFD')
        .ofMinLength(1).ofMaxLength(20).map(s -> "x" + s + "\uD83C\uDFDB");
  }

  @Provide
  Arbitrary<String> pointer() {
    return Arbitraries.of(POINTERS);
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

  @Property(tries = 400)
  void forbiddenCharacterIsRefusedNamingPointerAndCodePoint(@ForAll("pointer") String pointer,
      @ForAll("pasted") String before, @ForAll("forbidden") char bad, @ForAll("pasted") String after) {
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

  @Property(tries = 200)
  void anyPastedTextIsAccepted(@ForAll("pointer") String pointer, @ForAll("pasted") String text) throws Exception {
    MeetingReport report = read(with(pointer, text));
    assertThat(org.bulletin.schema.EventJson.mapper().valueToTree(report).at(pointer).asText()).isEqualTo(text);
  }
}
