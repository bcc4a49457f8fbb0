package org.bulletin.feed.webhook;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.bulletin.feed.view.Vocabulary;
import org.bulletin.platform.http.Problem;
import org.bulletin.platform.http.ProblemException;
import org.bulletin.schema.Violation;

/**
 * Checks a subscription's district and tag filters against the values seen in the reports topic
 * and replaces each by the canonical value matching uses (a district as reports name it, a tag as
 * its slug), so a filter that could never match is refused when it is made, not silently kept.
 * Thread-safe.
 */
final class FilterValues {
  /** How many valid values an error lists before "and N more". */
  static final int LISTED = 50;

  private final Vocabulary vocabulary;
  private final BooleanSupplier viewCaughtUp;

  /** @param viewCaughtUp true once the view has read the reports topic up to its end once */
  FilterValues(Vocabulary vocabulary, BooleanSupplier viewCaughtUp) {
    this.vocabulary = vocabulary;
    this.viewCaughtUp = viewCaughtUp;
  }

  /**
   * The filters with canonical values, duplicates dropped.
   *
   * @throws ProblemException 422 {@code unknown-filter-value} naming each unknown value and the
   *     valid ones; 503 {@code filters-not-checkable-yet} while the view is still catching up
   */
  Subscription.Filters canonical(Subscription.Filters requested) {
    List<Violation> errors = new ArrayList<>();
    List<String> details = new ArrayList<>();
    List<String> districts = canonical("districts", "district", requested.districts(), vocabulary::district,
        vocabulary.districts(), errors, details);
    List<String> tags = canonical("tags", "tag", requested.tags(), vocabulary::tag, vocabulary.tags(), errors,
        details);
    if (!errors.isEmpty()) {
      if (!viewCaughtUp.getAsBoolean()) {
        throw new ProblemException(Problem.of(503, "filters-not-checkable-yet", "Filters cannot be checked yet",
            "This instance is still reading the reports topic, so it does not know every district and tag yet;"
                + " retry in a few seconds."));
      }
      throw new ProblemException(new Problem(422, "unknown-filter-value", "Unknown filter value",
          String.join(" ", details), errors));
    }
    return new Subscription.Filters(requested.types(), districts, tags);
  }

  private static List<String> canonical(String field, String noun, List<String> values,
      Function<String, Optional<String>> lookup, List<String> known, List<Violation> errors, List<String> details) {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    List<String> unknown = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      Optional<String> found = lookup.apply(values.get(i));
      if (found.isPresent()) {
        out.add(found.get());
      } else {
        unknown.add(values.get(i));
        errors.add(new Violation("/filters/" + field + "/" + i, known.isEmpty()
            ? "no " + noun + " is known yet: no report read so far has one"
            : "not a known " + noun + " (the detail lists the known ones)"));
      }
    }
    if (!unknown.isEmpty()) {
      String values0 = String.join(", ", unknown.stream().map(v -> "\"" + shortened(v) + "\"").toList());
      details.add(known.isEmpty()
          ? "filters." + field + ": " + values0 + " cannot match: no report read so far has a " + noun
              + ", so no " + noun + " filter can be checked. Leave filters." + field
              + " out (every " + noun + ") until reports with " + field + " are published."
          : "filters." + field + ": " + values0 + (unknown.size() == 1 ? " is not a known " : " are not known ")
              + noun + (unknown.size() == 1 ? "" : "s") + ". Known " + field + " (names or slugs, any case): "
              + listed(known) + ".");
    }
    return List.copyOf(out);
  }

  /** The first {@link #LISTED} values, then how many more there are. */
  static String listed(List<String> known) {
    String head = String.join(", ", known.subList(0, Math.min(LISTED, known.size())));
    return known.size() <= LISTED ? head : head + " and " + (known.size() - LISTED) + " more";
  }

  /** Echoed input is cut short: a request may carry long values. */
  private static String shortened(String value) {
    return value.length() <= 80 ? value : value.substring(0, 80) + "…";
  }
}
