package org.bulletin.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rules on a report's content that JSON Schema cannot state: text XML 1.0 can carry, http(s)
 * links, and dates in a sane range. Stateless and thread-safe.
 *
 * <p>The date range is relative to a reference instant: the time of ingest, or an event's own
 * time when a consumer checks it. Time only moves forward, so a date accepted at ingest is never
 * refused later, and every consumer reading the same record reaches the same verdict.
 */
public final class ReportRules {
  /** The earliest date a report, meeting or event may carry. */
  public static final LocalDate EARLIEST = LocalDate.of(1900, 1, 1);
  /** How far ahead of the reference a date may be: time zones east of UTC are a day ahead. */
  public static final int DAYS_AHEAD = 1;

  private static final List<String> DATE_FIELDS = List.of("publishedDate", "meetingDate");
  private static final List<String> URL_FIELDS = List.of("sourceUrl");

  /** What a content violation is about; each has a stable problem code. */
  public enum Kind {
    ILLEGAL_CHARACTER("illegal-character"),
    UNSUPPORTED_URL("unsupported-url"),
    DATE_OUT_OF_RANGE("date-out-of-range");

    private final String code;

    Kind(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /** One broken rule: its kind and where. */
  public record Finding(Kind kind, Violation violation) {}

  private ReportRules() {}

  /** The latest date allowed for something stated at {@code reference}. */
  public static LocalDate latest(Instant reference) {
    return LocalDate.ofInstant(reference, ZoneOffset.UTC).plusDays(DAYS_AHEAD);
  }

  /** Whether {@code date} is within [{@link #EARLIEST}, {@link #latest(Instant)}]. */
  public static boolean dateInRange(LocalDate date, Instant reference) {
    try {
      return !date.isBefore(EARLIEST) && !date.isAfter(latest(reference));
    } catch (DateTimeException e) {
      return false; // a reference beyond what a date can hold: nothing sane
    }
  }

  /** Whether {@code time} is within the range a report's dates may have. */
  public static boolean timeInRange(Instant time, Instant reference) {
    try {
      return !time.isBefore(EARLIEST.atStartOfDay(ZoneOffset.UTC).toInstant())
          && time.isBefore(latest(reference).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    } catch (DateTimeException e) {
      return false;
    }
  }

  /** Whether {@code url} is an absolute http or https URL with a host. */
  public static boolean isWebUrl(String url) {
    if (url == null) {
      return false;
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      return scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          && uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty();
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** Every string anywhere in {@code document} that XML 1.0 cannot carry, by pointer. */
  public static List<Finding> illegalCharacters(JsonNode document) {
    List<Finding> out = new ArrayList<>();
    walk(document, "", out);
    return out;
  }

  /**
   * Every content rule {@code report} (a meeting-report document) breaks: characters, links and,
   * against {@code reference}, dates. Values of the wrong type are left to the schema.
   */
  public static List<Finding> check(JsonNode report, Instant reference) {
    List<Finding> out = illegalCharacters(report);
    for (String field : URL_FIELDS) {
      JsonNode url = report.get(field);
      if (url != null && url.isTextual() && !isWebUrl(url.asText())) {
        out.add(new Finding(Kind.UNSUPPORTED_URL, new Violation("/" + field,
            "must be an absolute http or https URL" + scheme(url.asText()))));
      }
    }
    for (String field : DATE_FIELDS) {
      JsonNode date = report.get(field);
      if (date != null && date.isTextual()) {
        try {
          LocalDate value = LocalDate.parse(date.asText());
          if (!dateInRange(value, reference)) {
            out.add(new Finding(Kind.DATE_OUT_OF_RANGE, new Violation("/" + field, "is " + value
                + ", outside " + EARLIEST + " to " + latest(reference) + " (at most a day ahead of today)")));
          }
        } catch (DateTimeParseException ignored) {
          // Not a date at all: the schema names it.
        }
      }
    }
    return out;
  }

  private static String scheme(String url) {
    int colon = url.indexOf(':');
    if (colon > 0 && url.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
      String scheme = url.substring(0, colon).toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return "; scheme '" + scheme + "' is not allowed";
      }
    }
    return "";
  }

  private static void walk(JsonNode node, String pointer, List<Finding> out) {
    if (node == null) {
      return;
    }
    if (node.isTextual()) {
      String text = node.asText();
      int at = XmlText.indexOfIllegal(text);
      if (at >= 0) {
        String where = pointer.isEmpty() ? "the document" : XmlText.visible(pointer);
        out.add(new Finding(Kind.ILLEGAL_CHARACTER, new Violation(pointer, where + " contains "
            + XmlText.name(text.codePointAt(at)) + ", which XML 1.0 does not allow (character " + (at + 1) + ")")));
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), pointer + "/" + i, out);
      }
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String key = field.getKey();
        String child = pointer + "/" + key.replace("~", "~0").replace("/", "~1");
        int at = XmlText.indexOfIllegal(key);
        if (at >= 0) {
          // The pointer would carry the character itself; name the object that holds the field.
          out.add(new Finding(Kind.ILLEGAL_CHARACTER, new Violation(pointer, "a field name in "
              + (pointer.isEmpty() ? "the document" : XmlText.visible(pointer)) + " contains "
              + XmlText.name(key.codePointAt(at)) + ", which XML 1.0 does not allow")));
          continue;
        }
        walk(field.getValue(), child, out);
      }
    }
  }
}
