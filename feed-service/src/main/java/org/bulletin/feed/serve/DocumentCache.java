package org.bulletin.feed.serve;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rendered documents by path. Current feed documents and the index are pinned; archive pages and
 * report pages sit in a bounded LRU, so memory depends on configuration, not on history. Written
 * by the view thread, read by event loops.
 */
public final class DocumentCache {
  private final Map<String, CachedDocument> pinned = new ConcurrentHashMap<>();
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

  public void pin(String path, CachedDocument doc) {
    pinned.put(path, doc);
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
}
