package org.bulletin.feed.serve;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.HashMap;

/**
 * Rendered documents by path. Current feed documents and the index are pinned; archive pages and
 * report pages sit in a bounded LRU, so memory depends on configuration, not on history. Written
 * by the view thread, read by event loops.
 */
public final class DocumentCache {
  // Replaced whole, never changed in place: a reader sees every document of a batch or none.
  private volatile Map<String, CachedDocument> pinned = Map.of();
  private final Map<String, CachedDocument> pages;

  public DocumentCache(int pageEntries) {
    this.pages = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, CachedDocument> eldest) {
        return size() > pageEntries;
      }
    };
  }

  public Optional<CachedDocument> get(String path) {
    CachedDocument doc = pinned.get(path);
    if (doc != null) {
      return Optional.of(doc);
    }
    synchronized (pages) {
      return Optional.ofNullable(pages.get(path));
    }
  }

  /**
   * Publishes the documents one batch rendered, all at once: no reader sees the new feed beside
   * the old index. Called by the single view thread only.
   */
  public void pinAll(Map<String, CachedDocument> docs) {
    Map<String, CachedDocument> next = new HashMap<>(pinned);
    next.putAll(docs);
    pinned = Map.copyOf(next);
  }

  public void putPage(String path, CachedDocument doc) {
    synchronized (pages) {
      pages.put(path, doc);
    }
  }

  public void removePage(String path) {
    synchronized (pages) {
      pages.remove(path);
    }
  }

  /** Drops every archive page (of any feed); they render again on their next request. */
  public void clearArchives() {
    synchronized (pages) {
      pages.keySet().removeIf(p -> p.contains("/archive/"));
    }
  }

  /** Drops the archive pages of one feed; they render again on their next request. */
  public void clearArchives(String basePath) {
    String prefix = basePath + "/archive/";
    synchronized (pages) {
      pages.keySet().removeIf(p -> p.startsWith(prefix));
    }
  }
}
