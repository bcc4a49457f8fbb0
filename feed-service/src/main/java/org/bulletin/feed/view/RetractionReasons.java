package org.bulletin.feed.view;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The reasons publishers gave for retracting reports, for the 410 pages, bounded in bytes: the
 * reasons read longest ago go first. Used by the view thread only.
 */
final class RetractionReasons {
  // Per entry beside the strings' characters: map node, two String headers, key and value arrays.
  private static final long ENTRY_OVERHEAD = 120;
  private final long maxBytes;
  private final LinkedHashMap<String, String> reasons = new LinkedHashMap<>();
  private long bytes;

  RetractionReasons(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  void put(String reportId, String reason) {
    remove(reportId);
    long size = size(reportId, reason);
    if (size > maxBytes) {
      return;
    }
    reasons.put(reportId, reason);
    bytes += size;
    for (Iterator<Map.Entry<String, String>> it = reasons.entrySet().iterator(); bytes > maxBytes && it.hasNext(); ) {
      Map.Entry<String, String> eldest = it.next();
      bytes -= size(eldest.getKey(), eldest.getValue());
      it.remove();
    }
  }

  void remove(String reportId) {
    String old = reasons.remove(reportId);
    if (old != null) {
      bytes -= size(reportId, old);
    }
  }

  Optional<String> get(String reportId) {
    return Optional.ofNullable(reasons.get(reportId));
  }

  long bytes() {
    return bytes;
  }

  int size() {
    return reasons.size();
  }

  private static long size(String id, String reason) {
    return ENTRY_OVERHEAD + 2L * (id.length() + reason.length());
  }
}
