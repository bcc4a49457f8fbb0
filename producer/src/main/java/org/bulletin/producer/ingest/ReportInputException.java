package org.bulletin.producer.ingest;

import java.util.List;
import org.bulletin.schema.Violation;

/**
 * Input that cannot become a report event: empty, binary, malformed JSON, a schema violation or
 * an article without a title or date. {@link #code()} is stable; {@link #violations()} lists
 * JSON pointers where the schema applies.
 */
public final class ReportInputException extends Exception {
  private final String code;
  private final transient List<Violation> violations;

  public ReportInputException(String code, String message) {
    this(code, message, List.of());
  }

  public ReportInputException(String code, String message, List<Violation> violations) {
    super(message);
    this.code = code;
    this.violations = List.copyOf(violations);
  }

  public String code() {
    return code;
  }

  public List<Violation> violations() {
    return violations;
  }

  /** One line for a terminal: the message and every violation. */
  public String describe() {
    // The API's answer has an "errors" field; on a terminal the problems follow as lines.
    StringBuilder sb = new StringBuilder(getMessage().replace(", listed in errors)", ", listed below)"));
    violations.forEach(v -> sb.append("\n    ").append(v.pointer().isEmpty() ? "/" : v.pointer())
        .append(": ").append(v.message()));
    return sb.toString();
  }
}
