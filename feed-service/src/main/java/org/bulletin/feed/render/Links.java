package org.bulletin.feed.render;

import org.bulletin.feed.view.FeedKey;

/**
 * Absolute URLs and permanent ids. Ids are tag URIs built from the report id alone, so they never
 * change across restarts, corrections or instances.
 */
public record Links(String baseUrl, String tagAuthority, String hubUrl) {
  /** Links of a service that is its own WebSub hub at {@link #HUB_PATH}. */
  public Links(String baseUrl, String tagAuthority) {
    this(baseUrl, tagAuthority, baseUrl + HUB_PATH);
  }

  public String home() {
    return baseUrl + "/";
  }

  /** The WebSub hub of every feed this service serves (W3C WebSub 4: discovery), or null when it has none. */
  public String hub() {
    return hubUrl;
  }

  /** Path of the WebSub hub endpoint. */
  public static final String HUB_PATH = "/websub";

  /**
   * The HTTP {@code Link} header value a current feed document is served with: its hub and its
   * own canonical URL (the topic), as WebSub 4 asks; null without a hub. Archive pages never change,
   * so they have none.
   */
  public String discoveryHeader(FeedKey feed, String extension) {
    if (hubUrl == null) {
      return null;
    }
    return "<" + hub() + ">; rel=\"hub\", <" + feed(feed, 0, extension) + ">; rel=\"self\"";
  }

  public String report(String reportId) {
    return baseUrl + "/reports/" + reportId;
  }

  public String feed(FeedKey feed, long page, String extension) {
    return baseUrl + FeedPage.path(feed, page, extension);
  }

  public String entryId(String reportId) {
    return "tag:" + tagAuthority + ":report/" + reportId;
  }

  public String feedId(FeedKey feed, long page) {
    return "tag:" + tagAuthority + ":feed" + feed.basePath().substring("/feeds".length())
        + (page == 0 ? "" : "/archive/" + org.bulletin.feed.view.ArchiveId.label(page));
  }
}
