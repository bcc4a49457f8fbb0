package org.bulletin.feed.render;

import java.time.Instant;
import java.util.List;
import org.bulletin.feed.view.ArchiveId;
import org.bulletin.feed.view.Entry;
import org.bulletin.feed.view.FeedKey;

/**
 * One feed document to render: the current document ({@code page == 0}) or an archive page
 * ({@link ArchiveId}).
 *
 * @param prevArchive the next older archive page, or 0 if there is none
 * @param nextArchive the next newer archive page, or 0 (the newest archive page, and the current document)
 * @param updated the time of the newest change this document shows (never "now")
 * @param tombstones recently retracted reports (Atom only, RFC 6721); empty on archive pages
 */
public record FeedPage(FeedKey feed, String title, long page, long prevArchive, long nextArchive, List<Entry> entries,
    Instant updated, List<Tombstone> tombstones) {

  /** A retracted report: its id and when it was retracted. */
  public record Tombstone(String reportId, Instant when) {}

  public FeedPage(FeedKey feed, String title, long page, long prevArchive, List<Entry> entries, Instant updated) {
    this(feed, title, page, prevArchive, 0, entries, updated, List.of());
  }

  /** The same document with other entries: to render it without a report that cannot be rendered. */
  public FeedPage withEntries(List<Entry> other) {
    return new FeedPage(feed, title, page, prevArchive, nextArchive, List.copyOf(other), updated, tombstones);
  }

  public boolean isArchive() {
    return page > 0;
  }

  /** Path of this document in {@code format}'s extension: rss, atom or json. */
  public String path(String extension) {
    return path(feed, page, extension);
  }

  public static String path(FeedKey feed, long page, String extension) {
    return page == 0 ? feed.basePath() + "." + extension
        : feed.basePath() + "/archive/" + ArchiveId.label(page) + "." + extension;
  }
}
