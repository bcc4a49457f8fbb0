package org.bulletin.producer.extract;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bulletin.schema.Official;

/**
 * Finds who presided and who attended. Names are romanized personal names (two or three
 * capitalized words that are not office words); roles are the comma-separated phrase next to a
 * name. Where a sentence has several people ("A attended and delivered a speech, and B presided
 * over the meeting") the presider is the actor nearest before "presided over".
 */
final class OfficialsParser {
  private static final Set<String> NOT_NAME_WORDS = Set.of(
      "District", "Districts", "County", "City", "Municipal", "Municipality", "Province", "Provincial", "Town",
      "Street", "Streets", "Party", "Committee", "Committees", "Secretary", "Secretaries", "Mayor", "Head", "Heads",
      "Deputy", "Director", "Directors", "Government", "People", "People's", "People’s", "Congress", "Standing",
      "Member", "Members", "Chairman", "Chairwoman", "Vice", "Bureau", "Office", "Department", "The", "On", "In",
      "At", "And", "Also", "Leaders", "Leader", "Meeting", "Conference", "Comrade", "Comrades", "Mr", "Ms", "Mrs",
      "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
      "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
      "Relevant", "Responsible", "Principal", "Main", "Other", "All", "Officials", "Attending",
      "Central", "National", "State", "Council", "General", "Commission", "Center", "Centre", "Media");
  private static final Pattern WORD = Pattern.compile("[A-Z][a-z]+(?:[-'’][A-Za-z][a-z]+)?");
  private static final Pattern PRESIDED = Pattern.compile("\\b(presided over|presiding over|chaired|hosted)\\b( by\\b)?");
  private static final Pattern WAS_PRESIDED = Pattern.compile("\\b(?:was|were) (?:presided over|chaired|hosted) by\\b");
  private static final Pattern ATTENDED = Pattern.compile("\\b(?:also )?attended\\b(?! by)");
  private static final Pattern ATTENDING_WERE = Pattern.compile(
      "\\b(?:[Aa]lso )?(?:[Aa]ttending|[Pp]resent at) (?:the meeting |the conference )?(?:also )?were\\b");
  // ", and the main responsible comrades of relevant departments": a group, not a person, ends the list.
  private static final Pattern GROUP_TAIL = Pattern.compile(
      "\\s*,?\\s*\\b(?:and|as well as|together with|along with)\\s+(?:the\\s+)?(?:[a-z][\\w-]*\\s+){0,4}?"
          + "(?:comrades|heads|leaders|officials|persons|representatives|cadres|members|staff|directors)\\b.*$");
  private static final Pattern SPLIT_LIST = Pattern.compile("\\s*,\\s*(?:and\\s+)?|\\s+and\\s+");
  private static final Pattern DATE_LEAD = Pattern.compile(
      "^(?:On|At|In) [A-Z][a-z]+ \\d{1,2}(?:st|nd|rd|th)?(?:,? \\d{4})?$|^(?:On|At|In) \\d{1,2} [A-Z][a-z]+(?: \\d{4})?$");

  private OfficialsParser() {}

  static Optional<Official> presider(List<String> sentences) {
    for (String sentence : sentences) {
      Matcher passive = WAS_PRESIDED.matcher(sentence);
      if (passive.find()) {
        Optional<Official> o = leadingActor(stripEnd(sentence.substring(passive.end())));
        if (o.isPresent()) {
          return o;
        }
      }
      Matcher m = PRESIDED.matcher(sentence);
      while (m.find()) {
        Optional<Official> o = m.group(2) != null
            ? leadingActor(stripEnd(sentence.substring(m.end())))
            : trailingActor(sentence.substring(0, m.start()));
        if (o.isPresent()) {
          return o;
        }
      }
    }
    return Optional.empty();
  }

  /** Attendees in the order the text names them, each once. */
  static List<Official> attendees(List<String> sentences) {
    Map<String, Official> byName = new LinkedHashMap<>();
    for (String sentence : sentences) {
      Matcher were = ATTENDING_WERE.matcher(sentence);
      if (were.find()) {
        nameList(withoutGroup(stripEnd(sentence.substring(were.end())))).forEach(o -> byName.putIfAbsent(o.name(), o));
        continue;
      }
      Matcher m = ATTENDED.matcher(sentence);
      if (!m.find()) {
        continue;
      }
      String before = withoutGroup(clauseBefore(sentence.substring(0, m.start())));
      List<Official> list = nameList(before);
      if (list.size() >= 2) {
        list.forEach(o -> byName.putIfAbsent(o.name(), o));
      } else {
        trailingActor(before).ifPresent(o -> byName.putIfAbsent(o.name(), o));
      }
    }
    return new ArrayList<>(byName.values());
  }

  /** The names of "A and B, and the heads of relevant departments" without the group that follows them. */
  private static String withoutGroup(String list) {
    Matcher group = GROUP_TAIL.matcher(list);
    return group.find() && group.start() > 0 ? list.substring(0, group.start()) : list;
  }

  /** The text after the last clause break (", and" / ";") before a verb, without a date lead. */
  private static String clauseBefore(String text) {
    String t = text;
    int semicolon = t.lastIndexOf(';');
    if (semicolon >= 0) {
      t = t.substring(semicolon + 1);
    }
    return t.strip();
  }

  /**
   * "A, B and C", "A, B, C" or "District leaders A, B, C": every item must hold a name; only the
   * first may carry a label in front of it. Otherwise it is not a list and the result is empty.
   */
  static List<Official> nameList(String text) {
    String[] items = SPLIT_LIST.split(text.strip());
    List<Official> out = new ArrayList<>();
    for (int i = 0; i < items.length; i++) {
      String item = items[i].strip();
      Optional<String> name = i == 0 ? trailingName(item) : exactName(item);
      if (name.isEmpty()) {
        return List.of();
      }
      out.add(Official.named(name.get()));
    }
    return out;
  }

  /** "…, Wei Dong, secretary of X, " → Wei Dong with his role: the actor at the end of the text. */
  static Optional<Official> trailingActor(String text) {
    List<String> segments = new ArrayList<>(Arrays.asList(text.strip().split("\\s*,\\s*")));
    segments.removeIf(String::isBlank);
    for (int i = segments.size() - 1, seen = 0; i >= 0 && seen < 4; i--, seen++) {
      String segment = stripAnd(segments.get(i));
      Optional<String> name = exactName(segment);
      if (name.isPresent()) {
        return Optional.of(new Official(name.get(), role(segments.subList(i + 1, segments.size()))));
      }
      if (i == segments.size() - 1) {
        // "District head Zhang Min presided": the role stands before the name.
        Optional<String> trailing = trailingName(segment);
        if (trailing.isPresent()) {
          String lead = segment.substring(0, segment.length() - trailing.get().length()).strip();
          return Optional.of(new Official(trailing.get(), DATE_LEAD.matcher(lead).matches() || lead.isEmpty()
              ? null : lead));
        }
      }
    }
    return Optional.empty();
  }

  /** "Sun Li, district head of Erqi District" → Sun Li with that role: the actor at the start. */
  static Optional<Official> leadingActor(String text) {
    String[] segments = text.strip().split("\\s*,\\s*");
    Optional<String> name = exactName(stripAnd(segments[0]));
    if (name.isEmpty()) {
      return Optional.empty();
    }
    List<String> roleParts = new ArrayList<>();
    for (int i = 1; i < segments.length; i++) {
      String s = segments[i];
      if (s.startsWith("and ") || s.matches("^[a-z]+ing\\b.*") || s.startsWith("who ")) {
        break;
      }
      roleParts.add(s);
    }
    return Optional.of(new Official(name.get(), role(roleParts)));
  }

  private static String role(List<String> parts) {
    String role = String.join(", ", parts).strip();
    return role.isEmpty() ? null : role;
  }

  private static String stripAnd(String s) {
    return s.startsWith("and ") ? s.substring(4).strip() : s;
  }

  private static String stripEnd(String s) {
    return s.replaceAll("[.;:。]+\\s*$", "").strip();
  }

  /** The whole of {@code s} is a personal name. */
  static Optional<String> exactName(String s) {
    String[] words = s.strip().split(" ");
    if (words.length < 2 || words.length > 3) {
      return Optional.empty();
    }
    for (String w : words) {
      if (!WORD.matcher(w).matches() || NOT_NAME_WORDS.contains(w)) {
        return Optional.empty();
      }
    }
    return Optional.of(String.join(" ", words));
  }

  /** The personal name that ends {@code s}, after a label such as "District leaders". */
  static Optional<String> trailingName(String s) {
    String[] words = s.strip().split(" ");
    int start = words.length;
    while (start > 0 && words.length - start < 3 && WORD.matcher(words[start - 1]).matches()
        && !NOT_NAME_WORDS.contains(words[start - 1])) {
      start--;
    }
    int count = words.length - start;
    if (count < 2) {
      return Optional.empty();
    }
    return Optional.of(String.join(" ", Arrays.copyOfRange(words, start, words.length)));
  }
}
