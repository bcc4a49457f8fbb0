package org.bulletin.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaValidatorTest {
  private final SchemaValidator validator = SchemaValidator.meetingReport();

  private ObjectNode valid() {
    return EventJson.mapper().valueToTree(Reports.full());
  }

  @Test
  void listsEveryFailingPointer() {
    ObjectNode doc = valid();
    doc.remove("title");
    doc.put("publishedDate", "2022-13-45");
    doc.put("id", "Not An Id");
    doc.withArray("attendees").addObject().put("role", "no name");
    doc.put("surprise", true);

    List<String> pointers = validator.validate(doc).stream().map(Violation::pointer).distinct().toList();

    assertThat(pointers).contains("/title", "/publishedDate", "/id", "/attendees/2/name", "/surprise");
  }

  @Test
  void acceptsValidReport() {
    assertThat(validator.validate(valid())).isEmpty();
  }

  @Test
  void rejectsEmptyBody() {
    ObjectNode doc = valid();
    doc.putArray("body");
    assertThat(validator.validate(doc)).extracting(Violation::pointer).containsExactly("/body");
  }

  @Test
  void rejectsTagsThatAreNotSlugs() {
    ObjectNode doc = valid();
    doc.putArray("tags").add("Economy & Trade");
    assertThat(validator.validate(doc)).extracting(Violation::pointer).containsExactly("/tags/0");
  }

  @Test
  void messagesSayWhatIsWrong() {
    ObjectNode doc = valid();
    doc.remove("title");
    Violation v = validator.validate(doc).get(0);
    assertThat(v.pointer()).isEqualTo("/title");
    assertThat(v.message()).isEqualTo("is required");
  }

  private java.util.Map<String, List<String>> messages(ObjectNode doc) {
    java.util.Map<String, List<String>> out = new java.util.TreeMap<>();
    validator.validate(doc).forEach(v -> out.computeIfAbsent(v.pointer(), k -> new java.util.ArrayList<>())
        .add(v.message()));
    return out;
  }

  @Test
  void aMissingFieldIsSaidToBeRequired() {
    ObjectNode doc = valid();
    doc.remove("title");
    assertThat(messages(doc)).containsEntry("/title", List.of("is required"));
  }

  @Test
  void aWrongTypeNamesTheExpectedAndTheFoundKind() {
    ObjectNode doc = valid();
    doc.put("title", 5);
    doc.put("district", true);
    assertThat(messages(doc)).containsEntry("/title", List.of("must be text, not a whole number"))
        .containsEntry("/district", List.of("must be text or null, not true or false"));
  }

  @Test
  void aBadDateReadsAsOneProblemWithAnExample() {
    ObjectNode doc = valid();
    doc.put("publishedDate", "2022-13-45");
    doc.put("meetingDate", "27/11/2026");
    assertThat(messages(doc)).containsEntry("/publishedDate", List.of("must be a date like 2026-11-27"))
        .containsEntry("/meetingDate", List.of("must be a date like 2026-11-27"));
  }

  @Test
  void patternsAreSaidInWordsNotAsRegularExpressions() {
    ObjectNode doc = valid();
    doc.put("id", "Not An Id");
    doc.putArray("tags").add("Bad Tag");
    doc.put("language", "English");
    var m = messages(doc);
    assertThat(m.get("/id")).singleElement().asString().startsWith("must be lowercase letters, digits and hyphens");
    assertThat(m.get("/tags/0")).singleElement().asString().startsWith("must be a lowercase slug");
    assertThat(m.get("/language")).containsExactly("must be a language tag like en or zh-CN");
    assertThat(m.values().stream().flatMap(List::stream)).noneMatch(msg -> msg.contains("^") || msg.contains("regex"));
  }

  @Test
  void aUrlThatIsNotOneSaysWhatAUrlLooksLike() {
    ObjectNode doc = valid();
    doc.put("sourceUrl", "not a url");
    assertThat(messages(doc)).containsEntry("/sourceUrl",
        List.of("must be an absolute URL like https://example.org/reports/1"));
  }

  @Test
  void lengthAndCountLimitsStateTheLimit() {
    ObjectNode doc = valid();
    doc.put("summary", "x".repeat(1001));
    doc.put("district", "");
    var attendees = doc.putArray("attendees");
    for (int i = 0; i < 501; i++) {
      attendees.addObject().put("name", "n");
    }
    doc.putArray("body");
    assertThat(messages(doc)).containsEntry("/summary", List.of("must be at most 1000 characters long"))
        .containsEntry("/district", List.of("must not be empty"))
        .containsEntry("/attendees", List.of("must list at most 500 items (it lists 501)"))
        .containsEntry("/body", List.of("must list at least 1 item"));
  }

  @Test
  void repeatedTagsAndUnknownFieldsAreNamed() {
    ObjectNode doc = valid();
    doc.putArray("tags").add("economy").add("economy");
    doc.put("surprise", 1);
    assertThat(messages(doc)).containsEntry("/tags", List.of("must not list the same value twice"))
        .containsEntry("/surprise", List.of("is not a field of this document (unknown field)"));
  }

  @Test
  void aValueMatchingNoAlternativeIsOneProblemNamingTheAlternatives() {
    ObjectNode doc = valid();
    doc.put("presider", 5);
    assertThat(messages(doc)).containsEntry("/presider", List.of("must be null or an object"));
  }

  @Test
  void anEnumListsItsValues() throws Exception {
    var schema = com.networknt.schema.SchemaRegistry.withDefaultDialect(
        com.networknt.schema.SpecificationVersion.DRAFT_2020_12).getSchema("{\"enum\": [\"a\", \"b\"]}");
    var errors = schema.validate(EventJson.mapper().readTree("\"c\""));
    assertThat(PlainMessages.of(errors, e -> "")).extracting(Violation::message).containsExactly("must be one of \"a\", \"b\"");
  }
}
