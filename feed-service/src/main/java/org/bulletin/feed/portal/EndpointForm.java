package org.bulletin.feed.portal;

import java.util.List;

/** What the partner typed into the form that adds an endpoint, shown again when it is refused. */
public record EndpointForm(String url, String description, List<String> types, String districts, String tags) {
  public static final List<String> TYPES = List.of("published", "corrected", "retracted");

  public static EndpointForm empty() {
    return new EndpointForm("", "", List.of(), "", "");
  }

  public boolean hasType(String type) {
    return types.contains(type);
  }
}
