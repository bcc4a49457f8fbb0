package org.bulletin.feed.render;

import org.bulletin.feed.view.FeedKey;

/**
 * Absolute URLs and permanent ids. Ids are tag URIs built from the report id alone, so they never
 * change across restarts, corrections or instances.
 */
public record Links(String baseUrl, String tagAuthority) {
  public String home() {
    return baseUrl + "/";
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
