package org.bulletin.feed.view;

import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names an archive page: a publication month and a page within it (1 = its oldest reports), coded
 * in one long as {@code yyyymm * 1_000_000 + page}; 0 is the current document. Shown as
 * {@code 2024-03} (page 1) or {@code 2024-03-2}.
 */
public final class ArchiveId {
  public static final long CURRENT = 0;
  private static final Pattern LABEL = Pattern.compile("([0-9]{4})-(0[1-9]|1[0-2])(?:-([1-9][0-9]{0,5}))?");

  private ArchiveId() {}

  public static long of(int yearMonth, int page) {
    return yearMonth * 1_000_000L + page;
  }

  /** The month of an epoch day as {@code yyyymm}. */
  public static int yearMonth(int epochDay) {
    LocalDate d = LocalDate.ofEpochDay(epochDay);
    return d.getYear() * 100 + d.getMonthValue();
  }

  public static int yearMonthOf(long id) {
    return (int) (id / 1_000_000L);
  }

  public static int page(long id) {
    return (int) (id % 1_000_000L);
  }

  /** First day of {@code yyyymm}, as an epoch day. */
  static int firstDay(int yearMonth) {
    return (int) LocalDate.of(yearMonth / 100, yearMonth % 100, 1).toEpochDay();
  }

  static int nextMonth(int yearMonth) {
    int y = yearMonth / 100;
    int m = yearMonth % 100;
    return m == 12 ? (y + 1) * 100 + 1 : y * 100 + m + 1;
  }

  public static String label(long id) {
    int ym = yearMonthOf(id);
    int page = page(id);
    String month = String.format("%04d-%02d", ym / 100, ym % 100);
    return page == 1 ? month : month + "-" + page;
  }

  /** The id a label names, or -1 if it is not one. */
  public static long parse(String label) {
    Matcher m = LABEL.matcher(label);
    if (!m.matches()) {
      return -1;
    }
    int page = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
    return of(Integer.parseInt(m.group(1)) * 100 + Integer.parseInt(m.group(2)), page);
  }
}
