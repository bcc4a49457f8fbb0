package org.bulletin.feed.delivery;

/**
 * A URL fit for logs: its query and fragment (often a token) and its user info replaced by
 * {@code …}. Endpoint and callback URLs are written by partners and may carry credentials.
 */
public final class LoggableUrl {
  private LoggableUrl() {}

  public static String of(String url) {
    if (url == null) {
      return null;
    }
    String out = url;
    int hash = out.indexOf('#');
    if (hash >= 0) {
      out = out.substring(0, hash);
    }
    int query = out.indexOf('?');
    if (query >= 0) {
      out = out.substring(0, query) + "?…";
    }
    int scheme = out.indexOf("://");
    int slash = scheme < 0 ? -1 : out.indexOf('/', scheme + 3);
    // The last @ before the path: a password may hold an @ of its own.
    int at = scheme < 0 ? -1 : out.lastIndexOf('@', slash < 0 ? out.length() : slash);
    if (scheme >= 0 && at > scheme && (slash < 0 || at < slash)) {
      out = out.substring(0, scheme + 3) + "…@" + out.substring(at + 1);
    }
    return out;
  }
}
