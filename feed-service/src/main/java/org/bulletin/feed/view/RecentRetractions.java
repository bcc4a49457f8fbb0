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

  /**
   * Up to {@code n} distinct ordinals that pass {@code keep}, latest retraction first (ties by
   * ordinal), none retracted more than the age before {@code reference}. Ordered by time, not by
   * when they were applied, so the interleaving of partitions does not change the answer.
   */
  int[] newest(int n, Instant reference, IntPredicate keep) {
    long oldest = reference.toEpochMilli() - maxAgeMillis;
    java.util.List<long[]> candidates = new java.util.ArrayList<>();
    for (int i = 1; i <= size; i++) {
      int at = Math.floorMod(next - i, ords.length);
      if (times[at] >= oldest && keep.test(ords[at])) {
        candidates.add(new long[] {times[at], ords[at]});
      }
    }
    candidates.sort((a, b) -> a[0] != b[0] ? Long.compare(b[0], a[0]) : Long.compare(a[1], b[1]));
    int[] out = new int[Math.min(n, candidates.size())];
    int count = 0;
    for (int i = 0; i < candidates.size() && count < out.length; i++) {
      int ord = (int) candidates.get(i)[1];
      if (!contains(out, count, ord)) {
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
