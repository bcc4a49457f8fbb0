package org.bulletin.feed.render;

import java.time.Instant;
import java.util.List;
import org.bulletin.feed.view.Entry;
import org.bulletin.feed.view.FeedKey;

/**
 * One feed document to render: the current document ({@code page == 0}) or a full archive page.
 *
 * @param prevArchive the next older archive page, or 0 if there is none
 * @param updated the time of the newest change this document shows (never "now")
 */
public record FeedPage(FeedKey feed, String title, int page, int prevArchive, List<Entry> entries, Instant updated) {
  /** The same document with other entries: to render it without a report that cannot be rendered. */
  public FeedPage withEntries(List<Entry> other) {
    return new FeedPage(feed, title, page, prevArchive, List.copyOf(other), updated);
  }

  public boolean isArchive() {
    return page > 0;
  }

  /** Path of this document in {@code format}'s extension: rss, atom or json. */
  public String path(String extension) {
    return path(feed, page, extension);
  }

  public static String path(FeedKey feed, int page, String extension) {
    return page == 0 ? feed.basePath() + "." + extension : feed.basePath() + "/archive/" + page + "." + extension;
  }
}
