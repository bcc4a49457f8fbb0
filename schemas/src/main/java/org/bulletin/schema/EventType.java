package org.bulletin.schema;

import java.util.Arrays;
import java.util.Optional;

/** The CloudEvents {@code type} of each kind of report event. */
public enum EventType {
  PUBLISHED("dev.bulletin.report.published.v1", "published"),
  CORRECTED("dev.bulletin.report.corrected.v1", "corrected"),
  RETRACTED("dev.bulletin.report.retracted.v1", "retracted");

  private final String ceType;
  private final String shortName;

  EventType(String ceType, String shortName) {
    this.ceType = ceType;
    this.shortName = shortName;
  }

  public String ceType() {
    return ceType;
  }

  /** The name used in filters and metrics: published, corrected, retracted. */
  public String shortName() {
    return shortName;
  }

  public static Optional<EventType> fromCeType(String ceType) {
    return Arrays.stream(values()).filter(t -> t.ceType.equals(ceType)).findFirst();
  }
}
