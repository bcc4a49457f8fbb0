package org.bulletin.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;

/**
 * Validates documents against one of the contract's JSON Schemas (2020-12, format assertions on).
 * Thread-safe; build once and share.
 */
public final class SchemaValidator {
  public static final String MEETING_REPORT_V1 = "/schemas/meeting-report.v1.schema.json";
  public static final String RETRACTION_V1 = "/schemas/report-retraction.v1.schema.json";

  private final Schema schema;

  private SchemaValidator(String resource) {
    SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
        b -> b.schemaRegistryConfig(config));
    try (InputStream in = SchemaValidator.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema resource missing: " + resource);
      }
      this.schema = registry.getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static SchemaValidator meetingReport() {
    return new SchemaValidator(MEETING_REPORT_V1);
  }

  public static SchemaValidator retraction() {
    return new SchemaValidator(RETRACTION_V1);
  }

  /** Every violation in plain words, ordered by pointer; empty when the document is valid. */
  public List<Violation> validate(JsonNode document) {
    return PlainMessages.of(schema.validate(document), SchemaValidator::pointer).stream()
        .distinct()
        .sorted(Comparator.comparing(Violation::pointer).thenComparing(Violation::message))
        .toList();
  }

  private static String pointer(Error error) {
    String pointer = pointer(error.getInstanceLocation());
    // "required" and "additionalProperties" report the parent object; point at the property.
    if (error.getProperty() != null
        && ("required".equals(error.getKeyword()) || "additionalProperties".equals(error.getKeyword()))) {
      pointer = pointer + "/" + escape(error.getProperty());
    }
    return pointer;
  }

  private static String pointer(NodePath path) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < path.getNameCount(); i++) {
      sb.append('/').append(escape(String.valueOf(path.getElement(i))));
    }
    return sb.toString();
  }

  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
