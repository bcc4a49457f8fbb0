package org.bulletin.feed.serve;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.HashMap;
import java.util.Iterator;

/**
 * Rendered documents by path. Current feed documents and the index are pinned, up to
 * {@code maxPinnedBytes}; archive pages and report pages sit in an LRU bounded by their bytes
 * (body and gzip), so memory depends on configuration, not on history or on how large pages are.
 * A page larger than the whole budget is not kept (it renders on each request). When the current
 * documents of every district and tag feed do not fit the pinned budget (districts and tags are
 * as many as reports bring), those that do not fit go to the LRU like pages, and render again on
 * their next request once evicted. Written by the view thread, read by event loops.
 */
public final class DocumentCache {
  /** Fixed cost of one cached page beyond its buffers: path, headers, map entry. */
  static final int ENTRY_OVERHEAD = 512;

  // Replaced whole, never changed in place: a reader sees every document of a batch or none.
  private volatile Map<String, CachedDocument> pinned = Map.of();
  private final long maxPageBytes;
  private final long maxPinnedBytes;
  private final LinkedHashMap<String, CachedDocument> pages = new LinkedHashMap<>(256, 0.75f, true);
  private long pageBytes;
  // Written by the view thread, read by gauges.
  private volatile long pinnedBytes;
  private volatile int unpinned;

  /** A cache whose pinned documents are bounded only by the page budget's magnitude (tests). */
  public DocumentCache(long maxPageBytes) {
    this(maxPageBytes, Long.MAX_VALUE);
  }

  /**
   * @param maxPinnedBytes bytes of current documents kept pinned; the documents of the all-reports
   *     feed, the index and the OPML always are, the others in path order while they fit
   */
  public DocumentCache(long maxPageBytes, long maxPinnedBytes) {
    this.maxPageBytes = maxPageBytes;
    this.maxPinnedBytes = maxPinnedBytes;
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
    long bytes = 0;
    java.util.List<String> optional = new java.util.ArrayList<>();
    for (Map.Entry<String, CachedDocument> e : next.entrySet()) {
      if (alwaysPinned(e.getKey())) {
        bytes += size(e.getKey(), e.getValue());
      } else {
        optional.add(e.getKey());
      }
    }
    java.util.Collections.sort(optional);
    Map<String, CachedDocument> demoted = new HashMap<>();
    for (String path : optional) {
      long size = size(path, next.get(path));
      if (bytes + size <= maxPinnedBytes) {
        bytes += size;
      } else {
        demoted.put(path, next.remove(path));
      }
    }
    for (String path : docs.keySet()) {
      if (next.containsKey(path)) {
        removePage(path); // an older copy left in the LRU when it was demoted before
      }
    }
    pinned = Map.copyOf(next);
    pinnedBytes = bytes;
    unpinned = demoted.size();
    demoted.forEach(this::putPage);
  }

  private static boolean alwaysPinned(String path) {
    return path.startsWith("/feeds/reports.") || path.equals("/") || path.equals(DocumentStore.OPML_PATH);
  }

  /** Estimated bytes of the pinned documents. Any thread. */
  public long pinnedBytes() {
    return pinnedBytes;
  }

  /** Current documents that did not fit the pinned budget and live in the LRU instead. Any thread. */
  public int unpinnedCount() {
    return unpinned;
  }

  public void putPage(String path, CachedDocument doc) {
    long size = size(path, doc);
    synchronized (pages) {
      CachedDocument old = pages.remove(path);
      if (old != null) {
        pageBytes -= size(path, old);
      }
      if (size > maxPageBytes) {
        return;
      }
      pages.put(path, doc);
      pageBytes += size;
      Iterator<Map.Entry<String, CachedDocument>> eldest = pages.entrySet().iterator();
      while (pageBytes > maxPageBytes && eldest.hasNext()) {
        Map.Entry<String, CachedDocument> e = eldest.next();
        pageBytes -= size(e.getKey(), e.getValue());
        eldest.remove();
      }
    }
  }

  public void removePage(String path) {
    synchronized (pages) {
      CachedDocument old = pages.remove(path);
      if (old != null) {
        pageBytes -= size(path, old);
      }
    }
  }

  /** The bytes the page LRU holds (estimated). */
  public long pageBytes() {
    synchronized (pages) {
      return pageBytes;
    }
  }

  /** Drops every archive page (of any feed); they render again on their next request. */
  public void clearArchives() {
    synchronized (pages) {
      for (Iterator<Map.Entry<String, CachedDocument>> it = pages.entrySet().iterator(); it.hasNext();) {
        Map.Entry<String, CachedDocument> e = it.next();
        if (e.getKey().contains("/archive/")) {
          pageBytes -= size(e.getKey(), e.getValue());
          it.remove();
        }
      }
    }
  }

  /** Drops the archive pages of one feed; they render again on their next request. */
  public void clearArchives(String basePath) {
    String prefix = basePath + "/archive/";
    synchronized (pages) {
      for (Iterator<Map.Entry<String, CachedDocument>> it = pages.entrySet().iterator(); it.hasNext();) {
        Map.Entry<String, CachedDocument> e = it.next();
        if (e.getKey().startsWith(prefix)) {
          pageBytes -= size(e.getKey(), e.getValue());
          it.remove();
        }
      }
    }
  }

  static long size(String path, CachedDocument doc) {
    return ENTRY_OVERHEAD + 2L * path.length() + doc.body().length() + doc.gzip().length();
  }
}
