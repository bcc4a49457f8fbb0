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
    assertThat(v.message()).contains("title");
  }
}
