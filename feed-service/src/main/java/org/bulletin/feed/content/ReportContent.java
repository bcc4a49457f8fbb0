package org.bulletin.feed.content;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bulletin.schema.MeetingReport;

/**
 * Report content by topic position: decoded reports in an LRU bounded by their estimated bytes,
 * the rest read back from the topic when first needed. The latest version of a report is never
 * compacted away, so the position the index holds can always be read. Confined to the view thread.
 */
public final class ReportContent implements AutoCloseable {
  private final ReportFetcher fetcher;
  private final long maxBytes;
  private final LinkedHashMap<Long, MeetingReport> cache = new LinkedHashMap<>(1024, 0.75f, true);
  private final Map<Long, Integer> sizes = new HashMap<>();
  // Written by the view thread; read by metrics.
  private volatile long bytes;
  private volatile long fetched;

  public ReportContent(ReportFetcher fetcher, long maxBytes) {
    this.fetcher = fetcher;
    this.maxBytes = maxBytes;
  }

  /** Keeps a version just read from the stream (likely to be rendered soon). */
  public void offer(long position, MeetingReport report) {
    int size = ReportSize.estimate(report);
    if (size > maxBytes) {
      return;
    }
    Integer old = sizes.put(position, size);
    if (old != null) {
      bytes -= old;
    }
    cache.put(position, report);
    bytes += size;
    Iterator<Map.Entry<Long, MeetingReport>> eldest = cache.entrySet().iterator();
    while (bytes > maxBytes && eldest.hasNext()) {
      Long p = eldest.next().getKey();
      bytes -= sizes.remove(p);
      eldest.remove();
    }
  }

  /** The reports at {@code positions}; those not cached are read in one pass and cached. */
  public Map<Long, MeetingReport> get(long[] positions) {
    Map<Long, MeetingReport> out = new HashMap<>(positions.length * 2);
    long[] missing = new long[positions.length];
    int m = 0;
    for (long p : positions) {
      MeetingReport r = cache.get(p);
      if (r != null) {
        out.put(p, r);
      } else {
        missing[m++] = p;
      }
    }
    if (m > 0) {
      Map<Long, MeetingReport> read = fetcher.fetch(Arrays.copyOf(missing, m));
      fetched += read.size();
      read.forEach((p, r) -> {
        out.put(p, r);
        offer(p, r);
      });
    }
    return out;
  }

  /** The cached reports among {@code positions}; reads nothing back. */
  public Map<Long, MeetingReport> peek(long[] positions) {
    Map<Long, MeetingReport> out = new HashMap<>(positions.length * 2);
    for (long p : positions) {
      MeetingReport r = cache.get(p);
      if (r != null) {
        out.put(p, r);
      }
    }
    return out;
  }

  /** Keeps reports that were read back elsewhere (off the view thread), and counts them. */
  public void readBack(Map<Long, MeetingReport> reports) {
    fetched += reports.size();
    reports.forEach(this::offer);
  }

  /** Estimated bytes of the cached reports. */
  public long cachedBytes() {
    return bytes;
  }

  /** How many reports were read back from the topic so far. */
  public long fetchedCount() {
    return fetched;
  }

  @Override
  public void close() {
    fetcher.close();
  }
}
