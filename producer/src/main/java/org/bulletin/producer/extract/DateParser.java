package org.bulletin.producer.extract;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.Month;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Dates as articles write them: the publication date line and "On March 23" in the body. */
final class DateParser {
  private static final String MONTHS =
      "(January|February|March|April|May|June|July|August|September|October|November|December)";
  private static final Pattern ISO = Pattern.compile("\\b(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})\\b");
  private static final Pattern CJK = Pattern.compile("(\\d{4})年(\\d{1,2})月(\\d{1,2})日");
  private static final Pattern MONTH_DAY_YEAR = Pattern.compile("\\b" + MONTHS + " (\\d{1,2})(?:st|nd|rd|th)?,? (\\d{4})\\b");
  private static final Pattern DAY_MONTH_YEAR = Pattern.compile("\\b(\\d{1,2}) " + MONTHS + ",? (\\d{4})\\b");
  private static final Pattern ON_MONTH_DAY = Pattern.compile("\\b[Oo]n " + MONTHS + " (\\d{1,2})(?:st|nd|rd|th)?(?:,? (\\d{4}))?\\b");
  private static final Pattern ON_DAY_MONTH = Pattern.compile("\\b[Oo]n (\\d{1,2}) " + MONTHS + "(?:,? (\\d{4}))?\\b");

  private DateParser() {}

  /** A full date anywhere in {@code line}, in any of the usual forms. */
  static Optional<LocalDate> fullDate(String line) {
    Matcher m = ISO.matcher(line);
    if (m.find()) {
      return date(m.group(1), m.group(2), m.group(3));
    }
    m = CJK.matcher(line);
    if (m.find()) {
      return date(m.group(1), m.group(2), m.group(3));
    }
    m = MONTH_DAY_YEAR.matcher(line);
    if (m.find()) {
      return date(m.group(3), String.valueOf(month(m.group(1))), m.group(2));
    }
    m = DAY_MONTH_YEAR.matcher(line);
    if (m.find()) {
      return date(m.group(3), String.valueOf(month(m.group(2))), m.group(1));
    }
    return Optional.empty();
  }

  /**
   * The meeting date from an "On March 23" phrase. Without a year it is the latest such date not
   * after publication: a January report of a "December 28" meeting means last December.
   */
  static Optional<LocalDate> meetingDate(String text, LocalDate published) {
    Matcher m = ON_MONTH_DAY.matcher(text);
    String monthName;
    String day;
    String year;
    if (m.find()) {
      monthName = m.group(1);
      day = m.group(2);
      year = m.group(3);
    } else {
      m = ON_DAY_MONTH.matcher(text);
      if (!m.find()) {
        return Optional.empty();
      }
      day = m.group(1);
      monthName = m.group(2);
      year = m.group(3);
    }
    int month = month(monthName);
    if (year != null) {
      return date(year, String.valueOf(month), day);
    }
    Optional<LocalDate> sameYear = date(String.valueOf(published.getYear()), String.valueOf(month), day);
    if (sameYear.isPresent() && sameYear.get().isAfter(published)) {
      return date(String.valueOf(published.getYear() - 1), String.valueOf(month), day);
    }
    return sameYear;
  }

  private static int month(String name) {
    return Month.valueOf(name.toUpperCase(Locale.ROOT)).getValue();
  }

  private static Optional<LocalDate> date(String year, String month, String day) {
    try {
      return Optional.of(LocalDate.of(Integer.parseInt(year), Integer.parseInt(month), Integer.parseInt(day)));
    } catch (DateTimeException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
