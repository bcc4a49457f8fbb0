package org.bulletin.schema;

import java.util.Locale;

/**
 * The characters XML 1.0 allows (section 2.2: TAB, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD,
 * U+10000–U+10FFFF, surrogates only as valid pairs). Ingest refuses text with any other character;
 * renderers drop them, so a record from another producer still renders.
 */
public final class XmlText {
  private XmlText() {}

  public static boolean allowed(int codePoint) {
    return codePoint == 0x9 || codePoint == 0xA || codePoint == 0xD
        || (codePoint >= 0x20 && codePoint <= 0xD7FF)
        || (codePoint >= 0xE000 && codePoint <= 0xFFFD)
        || (codePoint >= 0x10000 && codePoint <= 0x10FFFF);
  }

  /** The index of the first character XML does not allow (a lone surrogate counts), or -1. */
  public static int indexOfIllegal(String text) {
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      if (!allowed(cp)) {
        return i;
      }
      i += Character.charCount(cp);
    }
    return -1;
  }

  /** {@code text} without the characters XML does not allow; the same instance when it has none. */
  public static String strip(String text) {
    if (text == null) {
      return null;
    }
    int first = indexOfIllegal(text);
    if (first < 0) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length());
    sb.append(text, 0, first);
    for (int i = first; i < text.length(); ) {
      int cp = text.codePointAt(i);
      if (allowed(cp)) {
        sb.appendCodePoint(cp);
      }
      i += Character.charCount(cp);
    }
    return sb.toString();
  }

  /** {@code text} with each character XML does not allow written as its name, e.g. {@code [U+000B]}. */
  public static String visible(String text) {
    if (text == null || indexOfIllegal(text) < 0) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      if (allowed(cp)) {
        sb.appendCodePoint(cp);
      } else {
        sb.append('[').append(name(cp)).append(']');
      }
      i += Character.charCount(cp);
    }
    return sb.toString();
  }

  /** {@code U+000B}: how a code point is named in messages. */
  public static String name(int codePoint) {
    return String.format(Locale.ROOT, "U+%04X", codePoint);
  }
}
