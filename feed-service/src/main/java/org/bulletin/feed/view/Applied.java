package org.bulletin.feed.view;

import java.util.Set;
import java.util.TreeSet;

/** What a batch of changes touched: the feeds and report pages to render again. */
public final class Applied {
  private final Set<FeedKey> feeds = new TreeSet<>();
  private final Set<String> reports = new TreeSet<>();
  private int duplicates;

  void feed(FeedKey key) {
    feeds.add(key);
  }

  void report(String id) {
    reports.add(id);
  }

  void duplicate() {
    duplicates++;
  }

  public Set<FeedKey> feeds() {
    return feeds;
  }

  public Set<String> reports() {
    return reports;
  }

  public int duplicateCount() {
    return duplicates;
  }

  public boolean isEmpty() {
    return feeds.isEmpty() && reports.isEmpty();
  }
}
