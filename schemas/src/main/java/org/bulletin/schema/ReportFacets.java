package org.bulletin.schema;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What subscription filters look at besides the event type: a report's district and tags. Events
 * carry them as CloudEvents extension attributes ({@code bulletindistrict}, {@code bulletintags}),
 * so a retraction, whose data holds only the id and reason, can be matched without asking anybody
 * for the report's last version.
 *
 * @param district the district, or {@code null} when the report names none
 * @param tags the tags in the report's order, possibly empty
 */
public record ReportFacets(String district, List<String> tags) {
  /** The schema's limits on a district and on tags (meeting-report v1). */
  static final int MAX_DISTRICT_LENGTH = 200;
  static final int MAX_TAGS = 50;
  private static final Pattern TAG = Pattern.compile("^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$");

  public ReportFacets {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  public static ReportFacets of(MeetingReport report) {
    return new ReportFacets(report.district(), report.tags());
  }

  /** True when these facets obey the same rules as the report fields they come from. */
  public boolean valid() {
    if (district != null && (district.isEmpty()
        || district.codePointCount(0, district.length()) > MAX_DISTRICT_LENGTH
        || XmlText.indexOfIllegal(district) >= 0)) {
      return false;
    }
    return tags.size() <= MAX_TAGS && tags.stream().allMatch(t -> TAG.matcher(t).matches())
        && tags.stream().distinct().count() == tags.size();
  }
}
