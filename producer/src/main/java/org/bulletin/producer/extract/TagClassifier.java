package org.bulletin.producer.extract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Topic tags from words the report itself uses. A fixed, documented vocabulary: a tag is given
 * only where one of its words appears, so nothing is guessed.
 */
final class TagClassifier {
  private static final Map<String, Pattern> RULES = new LinkedHashMap<>();

  static {
    rule("economy", "economic|economy|gdp|industrial|enterprises?");
    rule("investment", "investment|investors?");
    rule("public-health", "epidemic|pandemic|covid|hospitals?|clinics?|health");
    rule("business-environment", "business environment");
    rule("urban-development", "urban renewal|renovation|infrastructure|residential communit(?:y|ies)|housing");
    rule("environment", "ecolog\\w*|environmental|pollution|air quality|dust");
    rule("education", "schools?|education");
    rule("agriculture", "rural|agricultur\\w*|farmland|grain");
    rule("emergency-management", "flood|emergency|fire prevention|disaster");
    rule("consumption", "consumption|e-commerce|live streaming");
    rule("technology", "scientific|technolog\\w*|innovation");
    rule("tourism", "touris\\w*|scenic (?:spots?|areas?)");
    rule("work-safety", "work safety|safety production|production safety|hidden dangers");
  }

  private TagClassifier() {}

  private static void rule(String tag, String words) {
    RULES.put(tag, Pattern.compile("\\b(?:" + words + ")\\b", Pattern.CASE_INSENSITIVE));
  }

  static List<String> tags(String text) {
    List<String> out = new ArrayList<>();
    RULES.forEach((tag, pattern) -> {
      if (pattern.matcher(text).find()) {
        out.add(tag);
      }
    });
    return out;
  }
}
