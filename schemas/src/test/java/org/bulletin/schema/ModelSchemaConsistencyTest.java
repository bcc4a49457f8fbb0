package org.bulletin.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ModelSchemaConsistencyTest {

  private static JsonNode schema(String resource) throws Exception {
    try (InputStream in = ModelSchemaConsistencyTest.class.getResourceAsStream(resource)) {
      return EventJson.mapper().readTree(in);
    }
  }

  private static Set<String> names(Iterator<String> it) {
    Set<String> out = new TreeSet<>();
    it.forEachRemaining(out::add);
    return out;
  }

  private static Set<String> components(Class<? extends Record> type) {
    Set<String> out = new TreeSet<>();
    Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).forEach(out::add);
    return out;
  }

  @Test
  void reportRecordHasExactlyTheSchemaProperties() throws Exception {
    JsonNode schema = schema(SchemaValidator.MEETING_REPORT_V1);
    assertThat(components(MeetingReport.class)).isEqualTo(names(schema.get("properties").fieldNames()));
    assertThat(components(Official.class))
        .isEqualTo(names(schema.at("/$defs/official/properties").fieldNames()));
  }

  @Test
  void retractionRecordHasExactlyTheSchemaProperties() throws Exception {
    JsonNode schema = schema(SchemaValidator.RETRACTION_V1);
    assertThat(components(Retraction.class)).isEqualTo(names(schema.get("properties").fieldNames()));
  }

  @Test
  void serializedFullReportIsValidAndRoundTrips() throws Exception {
    MeetingReport report = Reports.full();
    JsonNode json = EventJson.mapper().valueToTree(report);
    assertThat(SchemaValidator.meetingReport().validate(json)).isEmpty();
    assertThat(EventJson.mapper().treeToValue(json, MeetingReport.class)).isEqualTo(report);
  }

  @Test
  void reportWithOnlyRequiredFieldsSerializesValid() throws Exception {
    MeetingReport minimal = new MeetingReport("a-1", "T", java.time.LocalDate.of(2024, 1, 2), null, null, null,
        null, null, null, java.util.List.of("Body."), null, null, null);
    ObjectNode json = EventJson.mapper().valueToTree(minimal);
    assertThat(SchemaValidator.meetingReport().validate(json)).isEmpty();
    assertThat(json.get("presider").isNull()).isTrue();
    assertThat(json.get("attendees").size()).isZero();
  }

  @Test
  void schemaRequiredFieldsAreTheOnesTheModelCannotDefault() throws Exception {
    JsonNode schema = schema(SchemaValidator.MEETING_REPORT_V1);
    assertThat(names(schema.get("required").elements().hasNext()
        ? java.util.stream.StreamSupport.stream(schema.get("required").spliterator(), false)
            .map(JsonNode::asText).iterator()
        : java.util.Collections.emptyIterator()))
        .containsExactlyInAnyOrder("id", "title", "publishedDate", "body");
  }
}
