package org.bulletin.feed.websub;

import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which topic URLs this hub serves: exactly the {@code rel="self"} URLs of the current feed
 * documents (all reports, one district's, one tag's; RSS, Atom, JSON Feed), i.e. the service's
 * base URL plus the document's path, with no query or fragment, byte for byte. Thread-safe.
 */
public final class TopicCatalog {
  private static final Pattern FEED =
      Pattern.compile("^/feeds/(?:reports|districts/[a-z0-9-]{1,200}|tags/[a-z0-9-]{1,200})\\.(?:rss|atom|json)$");

  /** What the hub makes of a topic URL. */
  public enum Verdict {
    /** A current feed document this service serves now. */
    SERVED,
    /** Shaped like one of this service's feeds, but no such feed exists (yet): denied (WebSub 5.2). */
    NOT_SERVED,
    /** Not a URL of this service's feeds at all: refused at once. */
    FOREIGN
  }

  private final String baseUrl;
  private final Predicate<String> served;

  /**
   * @param baseUrl the service's public base URL, no trailing slash
   * @param served whether a current document exists at a path of a feed's shape (any thread)
   */
  public TopicCatalog(String baseUrl, Predicate<String> served) {
    this.baseUrl = baseUrl;
    this.served = served;
  }

  /**
   * A catalog of the feeds the view holds: a topic is served when its feed exists, whether or not
   * its documents are cached now (they are rendered again on request).
   *
   * @param feedPaths the base paths of the existing feeds, e.g. {@code /feeds/districts/x} (any thread)
   */
  public static TopicCatalog ofFeeds(String baseUrl, java.util.function.Supplier<java.util.Set<String>> feedPaths) {
    return new TopicCatalog(baseUrl, path -> feedPaths.get().contains(path.substring(0, path.lastIndexOf('.'))));
  }

  public Verdict judge(String topic) {
    if (!topic.startsWith(baseUrl + "/")) {
      return Verdict.FOREIGN;
    }
    String path = topic.substring(baseUrl.length());
    if (!FEED.matcher(path).matches()) {
      return Verdict.FOREIGN;
    }
    return served.test(path) ? Verdict.SERVED : Verdict.NOT_SERVED;
  }

  /** The document path of a topic this catalog judged SERVED or NOT_SERVED. */
  public String path(String topic) {
    return topic.substring(baseUrl.length());
  }

  /** The topic URL of a document path. */
  public String topic(String path) {
    return baseUrl + path;
  }
}
