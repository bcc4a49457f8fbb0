package org.bulletin.schema;

import com.networknt.schema.Error;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The validator's errors in plain words, one per real problem: a date that breaks both its
 * format and its pattern is one problem, and so is a value that matches none of a oneOf's types.
 * Messages name what is expected (with an example), never a regular expression.
 */
final class PlainMessages {
  /** Patterns of the contract's schemas, said in words. */
  private static final Map<String, String> PATTERNS = Map.of(
      "^[a-z0-9](?:[a-z0-9-]{0,126}[a-z0-9])?$",
      "must be lowercase letters, digits and hyphens, not starting or ending with a hyphen, at most 128"
          + " characters (like 2026-11-27-city-council-meeting)",
      "^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$",
      "must be a lowercase slug: letters, digits and hyphens, not starting or ending with a hyphen, at most 64"
          + " characters (like public-health)",
      "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "must be a date like 2026-11-27",
      "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", "must be a language tag like en or zh-CN");

  private PlainMessages() {}

  /** One violation per pointer and problem; {@code pointerOf} places each error. */
  static List<Violation> of(List<Error> errors, java.util.function.Function<Error, String> pointerOf) {
    Map<String, List<Error>> byPointer = new LinkedHashMap<>();
    for (Error e : errors) {
      byPointer.computeIfAbsent(pointerOf.apply(e), k -> new ArrayList<>()).add(e);
    }
    List<Violation> out = new ArrayList<>();
    byPointer.forEach((pointer, list) -> {
      Set<String> keywords = list.stream().map(Error::getKeyword).collect(Collectors.toSet());
      if (keywords.contains("oneOf") || keywords.contains("anyOf")) {
        // The branches' own errors only repeat that none matched: say which types would.
        List<String> types = new ArrayList<>();
        for (Error e : list) {
          if ("type".equals(e.getKeyword())) {
            types.addAll(expectedTypes(e));
          }
        }
        out.add(new Violation(pointer, types.isEmpty() ? "does not have the form this field needs"
            : "must be " + alternatives(types.stream().distinct().map(PlainMessages::typeName).toList())));
        return;
      }
      Set<String> said = new HashSet<>();
      for (Error e : list) {
        if ("pattern".equals(e.getKeyword()) && keywords.contains("format")) {
          continue; // the format's message says the same
        }
        String message = message(e);
        if (said.add(message)) {
          out.add(new Violation(pointer, message));
        }
      }
    });
    return out;
  }

  static String message(Error e) {
    Object[] args = e.getArguments() == null ? new Object[0] : e.getArguments();
    String keyword = e.getKeyword() == null ? "" : e.getKeyword();
    return switch (keyword) {
      case "required" -> "is required";
      case "additionalProperties" -> "is not a field of this document (unknown field)";
      case "type" -> "must be " + alternatives(expectedTypes(e).stream().map(PlainMessages::typeName).toList())
          + ", not " + typeName(arg(args, 0));
      case "format" -> switch (arg(args, 0)) {
        case "date" -> "must be a date like 2026-11-27";
        case "date-time" -> "must be a date and time like 2026-11-27T09:30:00Z";
        case "uri" -> "must be an absolute URL like https://example.org/reports/1";
        default -> "must be in " + arg(args, 0) + " format";
      };
      case "pattern" -> PATTERNS.getOrDefault(arg(args, 0), "does not have the form this field needs");
      case "minLength" -> "1".equals(arg(args, 0)) ? "must not be empty"
          : "must be at least " + arg(args, 0) + " characters long";
      case "maxLength" -> "must be at most " + arg(args, 0) + " characters long";
      case "minItems" -> "must list at least " + arg(args, 0) + " item" + ("1".equals(arg(args, 0)) ? "" : "s");
      case "maxItems" -> "must list at most " + arg(args, 0) + " items" + (args.length > 1 ? " (it lists "
          + arg(args, 1) + ")" : "");
      case "uniqueItems" -> "must not list the same value twice";
      case "enum" -> "must be one of " + arg(args, 0).replaceAll("^\\[|\\]$", "");
      case "const" -> "must be " + arg(args, 0);
      case "minimum" -> "must be at least " + arg(args, 0);
      case "maximum" -> "must be at most " + arg(args, 0);
      default -> stripPath(e.getMessage());
    };
  }

  private static List<String> expectedTypes(Error e) {
    Object[] args = e.getArguments();
    String expected = args != null && args.length > 1 ? String.valueOf(args[1]) : "";
    return Arrays.stream(expected.replaceAll("[\\[\\]]", "").split(",")).map(String::trim)
        .filter(s -> !s.isEmpty()).toList();
  }

  private static String typeName(String type) {
    return switch (type) {
      case "string" -> "text";
      case "integer" -> "a whole number";
      case "number" -> "a number";
      case "boolean" -> "true or false";
      case "array" -> "a list";
      case "object" -> "an object";
      case "null" -> "null";
      default -> type;
    };
  }

  private static String alternatives(List<String> words) {
    if (words.size() <= 1) {
      return words.isEmpty() ? "something else" : words.get(0);
    }
    return String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
  }

  private static String arg(Object[] args, int i) {
    return i < args.length ? String.valueOf(args[i]) : "";
  }

  /** The library prefixes some messages with a JSON path; the pointer already says where. */
  private static String stripPath(String message) {
    int colon = message.indexOf(": ");
    return message.startsWith("$") && colon > 0 ? message.substring(colon + 2) : message;
  }
}
