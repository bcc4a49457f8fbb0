package org.bulletin.feed.view;

import java.time.Instant;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * The live reports of one feed as ordinals of the {@link ReportIndex}, in feed order (published
 * date, then time of the latest version, then report id; oldest first). Additions wait in a pending buffer and are sorted and
 * merged in on the next read, so a rebuild appends and sorts once; a removal takes the report out
 * of the ordered part at once (or, if it is still pending, when the pending ones are merged).
 * Confined to the view thread.
 */
public final class FeedLog {
  private final FeedKey key;
  private Instant lastChange = Instant.EPOCH;
  private int[] ordered = new int[8];
  private int orderedSize;
  private int[] pending = new int[8];
  private int pendingSize;

  FeedLog(FeedKey key) {
    this.key = key;
  }

  public FeedKey key() {
    return key;
  }

  void add(int ord) {
    if (pendingSize == pending.length) {
      pending = Arrays.copyOf(pending, pending.length * 2);
    }
    pending[pendingSize++] = ord;
  }

  /** Call before the report's sort key changes. */
  void remove(int ord, ReportIndex index) {
    int at = indexOf(ord, index);
    if (at >= 0) {
      System.arraycopy(ordered, at + 1, ordered, at, orderedSize - at - 1);
      orderedSize--;
    }
    // else it is pending: filtered out when merged, as it is no longer a member
  }

  private int indexOf(int ord, ReportIndex index) {
    int lo = 0;
    int hi = orderedSize - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = index.compare(ordered[mid], ord);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return ordered[mid] == ord ? mid : -1;
      }
    }
    return -1;
  }

  /** Merges pending additions that are still members into the order. */
  void settle(ReportIndex index, IntPredicate member) {
    if (pendingSize == 0) {
      return;
    }
    Integer[] sorted = new Integer[pendingSize];
    int k = 0;
    for (int i = 0; i < pendingSize; i++) {
      if (member.test(pending[i])) {
        sorted[k++] = pending[i];
      }
    }
    pending = new int[8];
    pendingSize = 0;
    // TimSort: a rebuild adds reports mostly in time order, which is nearly this order.
    Arrays.sort(sorted, 0, k, index::compare);
    int[] adds = new int[k];
    for (int i = 0; i < k; i++) {
      adds[i] = sorted[i];
    }
    int[] merged = new int[Math.max(8, orderedSize + k + (orderedSize + k) / 8)];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < orderedSize || j < k) {
      int next;
      if (j >= k || (i < orderedSize && index.compare(ordered[i], adds[j]) <= 0)) {
        next = ordered[i++];
      } else {
        next = adds[j++];
      }
      if (n == 0 || merged[n - 1] != next) { // a report added twice while pending
        merged[n++] = next;
      }
    }
    ordered = merged;
    orderedSize = n;
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

  /** Live reports in this feed (after settling). */
  public int size() {
    return orderedSize;
  }

  int at(int i) {
    return ordered[i];
  }

  /** Bytes the order holds. */
  long estimatedBytes() {
    return 4L * (ordered.length + pending.length);
  }

  /** The first position in the order whose published day is at least {@code day}, below {@code end}. */
  int lowerBound(int day, int end, ReportIndex index) {
    int lo = 0;
    int hi = end;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (index.day(ordered[mid]) < day) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
