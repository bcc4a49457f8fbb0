package org.bulletin.feed.view;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The history of one feed: every version that entered it, oldest first, in {@link EntryKey}
 * order. Archive page n (1-based) is entries [(n-1)·size, n·size); a page is full, and never
 * gains or loses a position, once the history has grown past it. Confined to the view thread.
 */
public final class FeedLog {
  private final FeedKey key;
  private final List<Entry> entries = new ArrayList<>();
  private Instant lastChange = Instant.EPOCH;

  FeedLog(FeedKey key) {
    this.key = key;
  }

  public FeedKey key() {
    return key;
  }

  /** Adds in key order; returns the index it landed at. */
  int add(Entry entry) {
    int size = entries.size();
    if (size == 0 || entries.get(size - 1).key().compareTo(entry.key()) < 0) {
      entries.add(entry);
      return size;
    }
    int at = Collections.binarySearch(entries, entry, (a, b) -> a.key().compareTo(b.key()));
    if (at >= 0) {
      return at; // the same record applied twice
    }
    entries.add(-at - 1, entry);
    return -at - 1;
  }

  void changedAt(Instant time) {
    if (time.isAfter(lastChange)) {
      lastChange = time;
    }
  }

  /** Time of this feed's newest change, retractions included. */
  public Instant lastChange() {
    return lastChange;
  }

  public int size() {
    return entries.size();
  }

  public int fullPages(int pageSize) {
    return entries.size() / pageSize;
  }

  public List<Entry> entries() {
    return Collections.unmodifiableList(entries);
  }
}
