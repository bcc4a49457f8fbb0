package org.bulletin.feed.view;

import java.time.Duration;
import java.time.Instant;
import java.util.function.IntPredicate;

/**
 * The latest retractions (report ordinals with their time), bounded in count and age, for
 * tombstones. A ring buffer: the oldest is overwritten. Confined to the view thread.
 */
final class RecentRetractions {
  private final int[] ords;
  private final long[] times;
  private final long maxAgeMillis;
  private int next;
  private int size;

  RecentRetractions(int capacity, Duration maxAge) {
    this.ords = new int[Math.max(1, capacity)];
    this.times = new long[ords.length];
    this.maxAgeMillis = maxAge.toMillis();
  }

  void add(int ord, long time) {
    ords[next] = ord;
    times[next] = time;
    next = (next + 1) % ords.length;
    size = Math.min(size + 1, ords.length);
  }

  /** Up to {@code n} distinct ordinals that pass {@code keep}, latest first, none older than the age. */
  int[] newest(int n, Instant now, IntPredicate keep) {
    int[] out = new int[Math.min(n, size)];
    int count = 0;
    long oldest = now.toEpochMilli() - maxAgeMillis;
    for (int i = 1; i <= size && count < out.length; i++) {
      int at = Math.floorMod(next - i, ords.length);
      if (times[at] < oldest) {
        continue;
      }
      int ord = ords[at];
      if (keep.test(ord) && !contains(out, count, ord)) {
        out[count++] = ord;
      }
    }
    return java.util.Arrays.copyOf(out, count);
  }

  private static boolean contains(int[] a, int n, int v) {
    for (int i = 0; i < n; i++) {
      if (a[i] == v) {
        return true;
      }
    }
    return false;
  }
}
