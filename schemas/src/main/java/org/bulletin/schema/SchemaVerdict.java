package org.bulletin.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The accept/reject verdict of the contract's two v1 schemas, written out by hand for the one
 * shape they have: no interpretation of keywords, no error objects. It answers exactly what
 * {@link SchemaValidator} answers (networknt, JSON Schema 2020-12 with format assertions):
 * {@code SchemaVerdictTest} runs both over the samples, every rule's violation and many hostile
 * documents. Consumers ask it first and ask {@link SchemaValidator} only for the messages of a
 * reject. Stateless and thread-safe.
 *
 * <p>Semantics copied from the interpreting validator: lengths count code points; {@code pattern}
 * is a search ({@code find}) with {@code $} meaning the very end; {@code format: date} is
 * {@link LocalDate#parse} with a year in 0..9999; {@code format: uri} is an absolute
 * {@link URI} of ASCII characters without brackets in its query (or, when {@link URI} refuses it,
 * a bare scheme or authority prefix).
 */
public final class SchemaVerdict {
  private static final Pattern ID = Pattern.compile("^[a-z0-9](?:[a-z0-9-]{0,126}[a-z0-9])?\\z");
  private static final Pattern DATE = Pattern.compile("^[0-9]{4}-[0-9]{2}-[0-9]{2}\\z");
  private static final Pattern TAG = Pattern.compile("^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?\\z");
  private static final Pattern LANGUAGE = Pattern.compile("^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\\z");
  private static final Pattern URI_PREFIX = Pattern.compile("([A-Za-z0-9+-\\.]*:)?//|[A-Za-z0-9+-\\.]+:");

  private SchemaVerdict() {}

  /** Whether {@code doc} is valid against meeting-report v1. */
  public static boolean meetingReport(JsonNode doc) {
    if (doc == null || !doc.isObject()) {
      return false;
    }
    int required = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode v = field.getValue();
      boolean ok = switch (field.getKey()) {
        case "id" -> {
          required++;
          yield v.isTextual() && ID.matcher(v.textValue()).find();
        }
        case "title" -> {
          required++;
          yield v.isTextual() && length(v.textValue(), 1, 500);
        }
        case "publishedDate" -> {
          required++;
          yield v.isTextual() && date(v.textValue());
        }
        case "meetingDate" -> v.isNull() || v.isTextual() && date(v.textValue());
        case "district" -> v.isNull() || v.isTextual() && length(v.textValue(), 1, 200);
        case "presider" -> v.isNull() || official(v);
        case "attendees" -> attendees(v);
        case "source" -> v.isNull() || v.isTextual() && length(v.textValue(), 1, 500);
        case "sourceUrl" -> v.isNull() || v.isTextual() && length(v.textValue(), 0, 2000) && uri(v.textValue());
        case "body" -> {
          required++;
          yield body(v);
        }
        case "summary" -> v.isNull() || v.isTextual() && length(v.textValue(), 0, 1000);
        case "tags" -> tags(v);
        case "language" -> v.isTextual() && LANGUAGE.matcher(v.textValue()).find();
        default -> false; // additionalProperties: false
      };
      if (!ok) {
        return false;
      }
    }
    return required == 4; // the field names of an object node are distinct
  }

  /** Whether {@code doc} is valid against report-retraction v1. */
  public static boolean retraction(JsonNode doc) {
    if (doc == null || !doc.isObject()) {
      return false;
    }
    boolean hasId = false;
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode v = field.getValue();
      boolean ok = switch (field.getKey()) {
        case "id" -> {
          hasId = true;
          yield v.isTextual() && ID.matcher(v.textValue()).find();
        }
        case "reason" -> v.isNull() || v.isTextual() && length(v.textValue(), 0, 2000);
        default -> false;
      };
      if (!ok) {
        return false;
      }
    }
    return hasId;
  }

  private static boolean official(JsonNode v) {
    if (!v.isObject()) {
      return false;
    }
    boolean hasName = false;
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode f = field.getValue();
      boolean ok = switch (field.getKey()) {
        case "name" -> {
          hasName = true;
          yield f.isTextual() && length(f.textValue(), 1, 200);
        }
        case "role" -> f.isNull() || f.isTextual() && length(f.textValue(), 1, 500);
        default -> false;
      };
      if (!ok) {
        return false;
      }
    }
    return hasName;
  }

  private static boolean attendees(JsonNode v) {
    if (!v.isArray() || v.size() > 500) {
      return false;
    }
    for (JsonNode item : v) {
      if (!official(item)) {
        return false;
      }
    }
    return true;
  }

  private static boolean body(JsonNode v) {
    if (!v.isArray() || v.size() < 1 || v.size() > 2000) {
      return false;
    }
    for (JsonNode item : v) {
      if (!item.isTextual() || !length(item.textValue(), 1, 100_000)) {
        return false;
      }
    }
    return true;
  }

  private static boolean tags(JsonNode v) {
    if (!v.isArray() || v.size() > 50) {
      return false;
    }
    Set<String> seen = v.size() > 1 ? new HashSet<>() : null;
    for (JsonNode item : v) {
      if (!item.isTextual() || !TAG.matcher(item.textValue()).find()) {
        return false;
      }
      if (seen != null && !seen.add(item.textValue())) {
        return false; // uniqueItems (every item is a string here)
      }
    }
    return true;
  }

  /** minLength/maxLength in code points; counting only when the UTF-16 length cannot decide. */
  private static boolean length(String s, int min, int max) {
    int units = s.length();
    if (min <= 1 && units >= min && units <= max) {
      return true; // 1 <= code points <= units whenever units >= 1
    }
    int points = s.codePointCount(0, units);
    return points >= min && points <= max;
  }

  private static boolean date(String s) {
    if (!DATE.matcher(s).find()) {
      return false;
    }
    try {
      int year = LocalDate.parse(s).getYear();
      return year >= 0 && year <= 9999;
    } catch (DateTimeException e) {
      return false;
    }
  }

  private static boolean uri(String s) {
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      return URI_PREFIX.matcher(e.getInput()).matches();
    }
    if (!uri.isAbsolute() || !uri.toString().codePoints().allMatch(c -> c < 127)) {
      return false;
    }
    String query = uri.getRawQuery();
    return query == null || query.indexOf('[') < 0 && query.indexOf(']') < 0;
  }
}
