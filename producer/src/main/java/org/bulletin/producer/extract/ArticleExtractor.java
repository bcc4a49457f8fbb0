package org.bulletin.producer.extract;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bulletin.producer.ingest.ReportIds;
import org.bulletin.producer.ingest.ReportInputException;
import org.bulletin.schema.MeetingReport;
import org.bulletin.schema.Official;
import org.bulletin.schema.Violation;

/**
 * Turns a plain-text article (title line, date line, body, optional "(Source: …)") into a report.
 * Fields the text does not state stay empty. Stateless and thread-safe.
 */
public final class ArticleExtractor {
  private static final int SUMMARY_MAX = 300;
  private static final Pattern SOURCE_PAREN = Pattern.compile("\\(\\s*Source\\s*[:：]\\s*([^)]+?)\\s*\\)");
  private static final Pattern SOURCE_LINE = Pattern.compile("^\\s*Source\\s*[:：]\\s*(.+?)\\s*$");
  private static final Pattern PLACE = Pattern.compile(
      "\\b([A-Z][a-z]+(?: [A-Z][a-z]+)?) ((?i:district|county|city))\\b");
  // "the Dengfeng Municipal Party Committee": a city named only through its organs.
  private static final Pattern MUNICIPAL = Pattern.compile("\\b([A-Z][a-z]+(?: [A-Z][a-z]+)?) Municipal\\b");
  private static final Set<String> NOT_PLACE = Set.of("The", "On", "In", "At", "Party", "Municipal", "Deputy",
      "Relevant", "Whole", "Each", "Every", "And", "Of", "Committee", "Head", "Heads", "Leaders", "Mayor", "Vice",
      "Secretary", "Our", "This", "That", "Entire", "Capital", "Central", "Sister", "Forbidden", "Provincial", "Held",
      "Holds", "People", "Government");

  /**
   * @throws ReportInputException with code {@code not-an-article} when there is no title, date
   *     line or body, listing every one of these that is missing
   */
  public MeetingReport extract(String text) throws ReportInputException {
    List<String> lines = text.replace("\r\n", "\n").replace('\r', '\n').lines()
        .map(String::strip).filter(l -> !l.isEmpty()).toList();
    if (lines.isEmpty()) {
      throw new ReportInputException("empty-document", "the article is empty");
    }
    List<Violation> problems = new ArrayList<>();
    String title = lines.get(0);
    if (DateParser.fullDate(title).isPresent() && title.length() < 40) {
      problems.add(new Violation("/title", "the first line must be the title, but it is a date: '" + title + "'"));
    }
    Optional<LocalDate> published = lines.size() < 2 ? Optional.empty() : DateParser.fullDate(lines.get(1));
    if (published.isEmpty()) {
      problems.add(new Violation("/publishedDate", lines.size() < 2
          ? "the second line must be the publication date (e.g. 2022-04-27 or April 27, 2022), but there is none"
          : "the second line must be the publication date (e.g. 2022-04-27 or April 27, 2022), got: '"
              + abbreviate(lines.get(1), 80) + "'"));
    }

    String source = null;
    List<String> paragraphs = new ArrayList<>();
    for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
      Matcher paren = SOURCE_PAREN.matcher(line);
      if (paren.find()) {
        source = paren.group(1);
        line = (line.substring(0, paren.start()) + " " + line.substring(paren.end())).strip();
      }
      Matcher sourceLine = SOURCE_LINE.matcher(line);
      if (sourceLine.matches()) {
        source = sourceLine.group(1);
        continue;
      }
      if (!line.isEmpty()) {
        paragraphs.add(Sentences.normalize(line));
      }
    }
    if (paragraphs.isEmpty()) {
      problems.add(new Violation("/body", "the article has no body: paragraphs must follow the title and date lines"));
    }
    if (!problems.isEmpty()) {
      throw new ReportInputException("not-an-article", problems.get(0).pointer() + ": " + problems.get(0).message()
          + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more, listed in errors)" : ""), problems);
    }

    String body = String.join(" ", paragraphs);
    List<String> sentences = Sentences.split(body);
    Optional<Official> presider = OfficialsParser.presider(sentences);
    List<Official> attendees = OfficialsParser.attendees(sentences);
    LocalDate publishedDate = published.get();
    return new MeetingReport(
        ReportIds.derive(publishedDate, title),
        title,
        publishedDate,
        DateParser.meetingDate(body, publishedDate).orElse(null),
        jurisdiction(title, body).orElse(null),
        presider.orElse(null),
        attendees,
        source,
        null,
        paragraphs,
        summary(sentences),
        TagClassifier.tags(title + " " + body),
        "en");
  }

  /**
   * The jurisdiction the report is from, whatever its kind: the district, county or city the text
   * names most often, the title counting first ("Xinmi City", "Zhongmou County"). A city named
   * only through its organs ("the Dengfeng Municipal Party Committee") counts when no place is
   * named outright, since a district's report also names its city's committee.
   */
  static Optional<String> jurisdiction(String title, String body) {
    Optional<String> named = mostNamed(PLACE, title, body, null);
    return named.isPresent() ? named : mostNamed(MUNICIPAL, title, body, "City");
  }

  private static Optional<String> mostNamed(Pattern pattern, String title, String body, String kind) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String text : new String[] {title, body}) {
      Matcher m = pattern.matcher(text);
      while (m.find()) {
        String name = m.group(1);
        String first = name.split(" ")[0];
        if (NOT_PLACE.contains(first)) {
          // "Party District", "Deputy District": drop the office word, keep a following name.
          String[] words = name.split(" ");
          if (words.length < 2 || NOT_PLACE.contains(words[1])) {
            continue;
          }
          name = words[1];
        }
        String place = name + " " + (kind != null ? kind : capitalize(m.group(2)));
        counts.merge(place, 1, Integer::sum);
      }
    }
    return counts.entrySet().stream()
        .max(Comparator.comparingInt(Map.Entry::getValue)) // ties: the first named (max keeps the first)
        .map(Map.Entry::getKey);
  }

  private static String capitalize(String word) {
    String lower = word.toLowerCase(Locale.ROOT);
    return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
  }

  /** The first sentence, cut at a word boundary when long. */
  static String summary(List<String> sentences) {
    return sentences.isEmpty() ? null : abbreviate(sentences.get(0), SUMMARY_MAX);
  }

  private static String abbreviate(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int cut = s.lastIndexOf(' ', max - 1);
    return s.substring(0, cut > max / 2 ? cut : max - 1).replaceAll("[,;:\\s]+$", "") + "…";
  }
}
