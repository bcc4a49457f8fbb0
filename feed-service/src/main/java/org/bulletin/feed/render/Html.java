package org.bulletin.feed.render;

/**
 * HTML text escaping: report text is always shown as text, never interpreted as markup, and
 * characters XML 1.0 forbids (controls, noncharacters, lone surrogates) are dropped.
 */
final class Html {
  private Html() {}

  static String escape(String text) {
    if (text == null) {
      return "";
    }
    text = org.bulletin.schema.XmlText.strip(text);
    StringBuilder sb = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
