package org.bulletin.feed.webhook;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bulletin.platform.http.Problem;
import org.bulletin.platform.http.ProblemException;
import org.bulletin.schema.Violation;

/**
 * A create or update request, checked field by field; every failing pointer is reported.
 *
 * @param partnerId on create only: the partner an admin creates it for ({@code null}: none, or the
 *     calling partner's own)
 */
public record SubscriptionRequest(String partnerId, String url, String description, Subscription.Filters filters, boolean enabled,
    Integer rateLimit, boolean ordered) {
  private static final Set<String> FIELDS = Set.of("url", "description", "filters", "enabled", "rateLimit", "ordered");
  private static final Set<String> CREATE_FIELDS = Set.of("partnerId", "url", "description", "filters", "enabled",
      "rateLimit", "ordered");
  private static final Set<String> TYPES = Set.of("published", "corrected", "retracted");

  /** Parses a create ({@code current} null) or an update of {@code current}; 400 problem if invalid. */
  public static SubscriptionRequest parse(JsonObject body, Subscription current) {
    if (body == null) {
      throw new ProblemException(Problem.of(400, "malformed-json", "Malformed JSON", "The body must be a JSON object."));
    }
    List<Violation> errors = new ArrayList<>();
    for (String field : body.fieldNames()) {
      if (!(current == null ? CREATE_FIELDS : FIELDS).contains(field)) {
        errors.add(new Violation("/" + field, "unknown field"));
      }
    }
    Object partner = current == null ? body.getValue("partnerId") : null;
    if (partner != null && !(partner instanceof String)) {
      errors.add(new Violation("/partnerId", "a partner id"));
    }
    Object url = body.getValue("url", current == null ? null : current.url());
    if (!(url instanceof String u) || u.isBlank()) {
      errors.add(new Violation("/url", "required: the endpoint's https URL"));
    } else if (u.length() > 2000) {
      errors.add(new Violation("/url", "at most 2000 characters"));
    }
    Object description = body.getValue("description", current == null ? null : current.description());
    if (description != null && (!(description instanceof String d) || d.length() > 500)) {
      errors.add(new Violation("/description", "a string of at most 500 characters"));
    }
    Subscription.Filters filters = current == null ? new Subscription.Filters(null, null, null) : current.filters();
    Object f = body.getValue("filters");
    if (f != null) {
      if (!(f instanceof JsonObject fo)) {
        errors.add(new Violation("/filters", "an object with types, districts and tags"));
      } else {
        for (String field : fo.fieldNames()) {
          if (!Set.of("types", "districts", "tags").contains(field)) {
            errors.add(new Violation("/filters/" + field, "unknown field"));
          }
        }
        List<String> types = strings(fo, "types", errors);
        for (int i = 0; i < types.size(); i++) {
          if (!TYPES.contains(types.get(i))) {
            errors.add(new Violation("/filters/types/" + i, "one of published, corrected, retracted"));
          }
        }
        filters = new Subscription.Filters(types, strings(fo, "districts", errors), strings(fo, "tags", errors));
      }
    }
    Object enabled = body.getValue("enabled", current == null || current.enabled());
    if (!(enabled instanceof Boolean)) {
      errors.add(new Violation("/enabled", "true or false"));
    }
    Object ordered = body.getValue("ordered", current != null && current.ordered());
    if (!(ordered instanceof Boolean)) {
      errors.add(new Violation("/ordered", "true or false"));
    }
    Object rate = body.containsKey("rateLimit") ? body.getValue("rateLimit") : current == null ? null : current.rateLimit();
    if (rate != null && (!(rate instanceof Integer r) || r < 1 || r > 10_000)) {
      errors.add(new Violation("/rateLimit", "deliveries per second, 1 to 10000, or null"));
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(new Problem(400, "invalid-subscription", "Invalid subscription",
          "The subscription has " + errors.size() + " error" + (errors.size() == 1 ? "" : "s") + ".", errors));
    }
    return new SubscriptionRequest((String) partner, (String) url, (String) description, filters, (Boolean) enabled, (Integer) rate,
        (Boolean) ordered);
  }

  private static List<String> strings(JsonObject o, String field, List<Violation> errors) {
    Object v = o.getValue(field);
    if (v == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    if (!(v instanceof JsonArray array)) {
      errors.add(new Violation("/filters/" + field, "an array of strings"));
      return out;
    }
    for (int i = 0; i < array.size(); i++) {
      if (array.getValue(i) instanceof String s && !s.isBlank()) {
        out.add(s);
      } else {
        errors.add(new Violation("/filters/" + field + "/" + i, "a non-empty string"));
      }
    }
    return out;
  }
}
