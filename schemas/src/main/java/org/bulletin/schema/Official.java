package org.bulletin.schema;

/**
 * A named official in a report: who presided or who attended.
 *
 * @param name the person's name as the report gives it
 * @param role the office the report names, or {@code null} where it names none
 */
public record Official(String name, String role) {
  public Official {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("an official needs a name");
    }
  }

  public static Official named(String name) {
    return new Official(name, null);
  }
}
