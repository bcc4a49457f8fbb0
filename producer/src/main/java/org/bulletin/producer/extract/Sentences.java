package org.bulletin.producer.extract;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Sentence handling for scraped articles, where a period is often not followed by a space. */
final class Sentences {
  // "quarter.On the meeting": a sentence end glued to the next sentence.
  private static final Pattern GLUED = Pattern.compile("([a-z0-9”\"’)])([.!?;])([A-Z“\"])");
  private static final Pattern BOUNDARY = Pattern.compile("(?<=[.!?])\\s+(?=[A-Z“\"(])");

  private Sentences() {}

  /** Restores the space a scraper dropped after a sentence's final punctuation. */
  static String normalize(String paragraph) {
    return GLUED.matcher(paragraph.strip()).replaceAll("$1$2 $3").replaceAll("\\s+", " ");
  }

  static List<String> split(String normalizedText) {
    List<String> out = new ArrayList<>();
    for (String s : BOUNDARY.split(normalizedText)) {
      String trimmed = s.strip();
      if (!trimmed.isEmpty()) {
        out.add(trimmed);
      }
    }
    return out;
  }
}
