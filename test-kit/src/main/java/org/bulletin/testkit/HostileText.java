package org.bulletin.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.function.Executable;

/**
 * Arbitrary UTF-16 text for property tests, biased toward what breaks XML, JSON and HTML output:
 * lone high and low surrogates, U+FFFE/U+FFFF, C0 and C1 controls (U+000B among them), {@code ]]>},
 * markup characters, quotes, astral characters, empty and long strings.
 *
 * <p>Driven by a {@link SplittableRandom} with a fixed seed, so a test draws the same cases on every
 * run and a failure reproduces; {@link #escaped} writes a case so it can be read in a failure message.
 * Not thread-safe: one instance per test's case stream.
 */
public final class HostileText {
  /** Characters and fragments that are hard for a renderer; each is drawn often. */
  private static final List<String> HARD = List.of("\u0000", "\u0001", "\u0008", "\u000B", "\u000C", "\u001F",
      "\u007F", "\u0080", "\u0085", "\u009F", "\uFFFE", "\uFFFF", "\uD800", "\uDBFF", "\uDC00", "\uDFFF",
      "\uDC00\uD800", "<", ">", "&", "\"", "'", "]", "]]>", "\t", "\n", "\r", " ", "a", "区", "\u00A0",
      "\uFFFD", "\uD83C\uDFDB", "\uFE0F", "&#0;", "&#x1;", "&amp;", "<!--", "<![CDATA[", "javascript:");
  /** Text people paste or attackers send, whole. */
  private static final List<String> SAMPLES = List.of("Budget\u000Bmeeting", "惠济区\uFFFE召开",
      "]]><script>alert(1)</script>", "&amp;&#0;&#x1;", "\uD83C\uDFDB\uFE0F civic", "\uDC00\uD800 reversed pair",
      "javascript:alert(document.cookie)", "\uD800", "\uDFFF", "\uFFFF", "\u0085next line", "a\u0000b",
      "<a href=\"x\" onclick='y'>", "\"quoted\" and 'single'");
  private static final int MAX_SHORT = 24;
  private static final int MAX_LONG = 2_000;

  private final SplittableRandom random;

  private HostileText(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** A generator that draws the same sequence for the same seed. */
  public static HostileText seeded(long seed) {
    return new HostileText(seed);
  }

  /**
   * Any UTF-16 string: empty, uniformly random code units, hard characters and fragments, known hostile
   * samples, or a long mix of all of them.
   */
  public String any() {
    int pick = random.nextInt(10);
    if (pick == 0) {
      return "";
    }
    if (pick <= 3) {
      return mixed(between(1, MAX_SHORT));
    }
    if (pick <= 6) {
      return hard(between(1, 16));
    }
    if (pick <= 8) {
      return oneOf(SAMPLES);
    }
    return mixed(between(MAX_SHORT, MAX_LONG));
  }

  /** {@link #any()} that is not blank (has a character other than whitespace). */
  public String nonBlank() {
    while (true) {
      String text = any();
      if (!text.isBlank()) {
        return text;
      }
    }
  }

  /** A single character XML 1.0 forbids: a C0 control other than TAB/LF/CR, a surrogate, U+FFFE or U+FFFF. */
  public char forbidden() {
    return switch (random.nextInt(5)) {
      case 0 -> (char) between(0x00, 0x08);
      case 1 -> (char) between(0x0B, 0x0C);
      case 2 -> (char) between(0x0E, 0x1F);
      case 3 -> (char) between(0xD800, 0xDFFF);
      default -> random.nextBoolean() ? '\uFFFE' : '\uFFFF';
    };
  }

  /**
   * Text a person can paste, between {@code min} and {@code max} characters from U+0020–U+D7FF, TAB,
   * LF, CR, U+00A0 and U+FFFD, with markup characters and quotes drawn often: nothing XML forbids.
   */
  public String pasted(int min, int max) {
    int length = between(min, max);
    StringBuilder sb = new StringBuilder(length);
    while (sb.length() < length) {
      switch (random.nextInt(4)) {
        case 0 -> sb.append(oneOf(List.of('\t', '\n', '\r', '\u00A0', '\uFFFD', '<', '>', '&', '"', '\'', ']', ' ')));
        case 1 -> sb.append((char) between(0x20, 0x7E));
        default -> sb.append((char) between(0x20, 0xD7FF));
      }
    }
    return sb.toString();
  }

  /** Between {@code min} and {@code max} letters a–z. */
  public String lowercase(int min, int max) {
    int length = between(min, max);
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append((char) between('a', 'z'));
    }
    return sb.toString();
  }

  /** A uniformly drawn int in {@code [min, max]}. */
  public int between(int min, int max) {
    return random.nextInt(min, max + 1);
  }

  public <T> T oneOf(List<T> choices) {
    return choices.get(random.nextInt(choices.size()));
  }

  /** {@code null} with probability {@code p}, otherwise a value from {@code value}. */
  public <T> T orNull(double p, Supplier<T> value) {
    return random.nextDouble() < p ? null : value.get();
  }

  /** Between {@code min} and {@code max} values from {@code element}. */
  public <T> List<T> list(int min, int max, Supplier<T> element) {
    int size = between(min, max);
    List<T> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      out.add(element.get());
    }
    return out;
  }

  /** Runs {@code check}; if it fails, fails naming {@code input} (escaped) with the original failure as cause. */
  public static void forInput(Object input, Executable check) {
    try {
      check.execute();
    } catch (Throwable failure) {
      AssertionError named = new AssertionError("failed for input: " + escaped(String.valueOf(input)) + "\n"
          + failure.getMessage(), failure);
      throw named;
    }
  }

  /** {@code text} in printable ASCII: every other code unit (so lone surrogates too) as {@code \}{@code uXXXX}. */
  public static String escaped(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        sb.append("\\\\");
      } else if (c >= 0x20 && c <= 0x7E) {
        sb.append(c);
      } else {
        sb.append(String.format(java.util.Locale.ROOT, "\\u%04X", (int) c));
      }
    }
    return sb.toString();
  }

  private String mixed(int length) {
    StringBuilder sb = new StringBuilder(length + 8);
    while (sb.length() < length) {
      switch (random.nextInt(6)) {
        case 0, 1 -> sb.append((char) random.nextInt(0x10000));
        case 2 -> sb.appendCodePoint(between(0x10000, 0x10FFFF));
        case 3 -> sb.append((char) between(0x20, 0x7E));
        default -> sb.append(oneOf(HARD));
      }
    }
    return sb.toString();
  }

  private String hard(int count) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < count; i++) {
      sb.append(oneOf(HARD));
    }
    return sb.toString();
  }
}
