package org.bulletin.feed.view;

import java.util.Set;
import java.util.TreeSet;

/** What a batch of changes touched: the feeds and report pages to render again. */
public final class Applied {
  private final Set<FeedKey> feeds = new TreeSet<>();
  private final Set<String> reports = new TreeSet<>();
  private boolean archivesChanged;
  private int duplicates;

  void feed(FeedKey key) {
    feeds.add(key);
  }

  void report(String id) {
    reports.add(id);
  }

  void markArchivesChanged() {
    archivesChanged = true;
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

  /** Some full archive page may render differently (a retraction or a late record). */
  public boolean archivesChanged() {
    return archivesChanged;
  }

  public int duplicateCount() {
    return duplicates;
  }

  public boolean isEmpty() {
    return feeds.isEmpty() && reports.isEmpty();
  }
}
