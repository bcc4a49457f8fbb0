package org.bulletin.feed.view;

import java.util.Arrays;

/**
 * What the feeds need to know about every report, in primitive arrays indexed by an ordinal, so
 * memory per report is a few dozen bytes plus its id: the published date (sort key), the time of
 * its latest version (or of its retraction), where that version sits in the topic
 * (partition and offset, to read its content back), its feed membership and its state. Report
 * content is not kept here. Confined to the view thread.
 */
public final class ReportIndex {
  static final byte LIVE = 1;
  static final byte RETRACTED = 2;
  static final int NO_MEMBERSHIP = -1;

  private String[] ids = new String[1024];
  private int[] days = new int[1024];
  private long[] times = new long[1024];
  private int[] partitions = new int[1024];
  private long[] offsets = new long[1024];
  private int[] memberships = new int[1024];
  private int[] hashes = new int[1024];
  private byte[] states = new byte[1024];
  private int size;
  private long idChars;
  // Open addressing (linear probing) from id to ordinal; -1 is an empty slot. Load stays <= 1/2.
  private int[] table = newTable(2048);

  private static int[] newTable(int capacity) {
    int[] t = new int[capacity];
    Arrays.fill(t, -1);
    return t;
  }

  /** The ordinal of {@code id}, or -1 if the view never saw it. */
  public int find(String id) {
    int mask = table.length - 1;
    for (int slot = mix(id.hashCode()) & mask; ; slot = (slot + 1) & mask) {
      int ord = table[slot];
      if (ord < 0) {
        return -1;
      }
      if (ids[ord].equals(id)) {
        return ord;
      }
    }
  }

  /** The ordinal of {@code id}, added (with no state yet) if new. */
  int findOrAdd(String id) {
    int ord = find(id);
    if (ord >= 0) {
      return ord;
    }
    if (size == ids.length) {
      grow();
    }
    ord = size++;
    ids[ord] = id;
    idChars += id.length();
    memberships[ord] = NO_MEMBERSHIP;
    offsets[ord] = -1;
    if (size * 2 > table.length) {
      rehash(table.length * 2);
    }
    insert(ord);
    return ord;
  }

  private void insert(int ord) {
    int mask = table.length - 1;
    int slot = mix(ids[ord].hashCode()) & mask;
    while (table[slot] >= 0) {
      slot = (slot + 1) & mask;
    }
    table[slot] = ord;
  }

  private void rehash(int capacity) {
    table = newTable(capacity);
    for (int ord = 0; ord < size; ord++) {
      insert(ord);
    }
  }

  private void grow() {
    int n = ids.length + (ids.length >> 1);
    ids = Arrays.copyOf(ids, n);
    days = Arrays.copyOf(days, n);
    times = Arrays.copyOf(times, n);
    partitions = Arrays.copyOf(partitions, n);
    offsets = Arrays.copyOf(offsets, n);
    memberships = Arrays.copyOf(memberships, n);
    hashes = Arrays.copyOf(hashes, n);
    states = Arrays.copyOf(states, n);
  }

  private static int mix(int h) {
    return h ^ (h >>> 16) ^ (h >>> 7);
  }

  void live(int ord, int day, long time, int partition, long offset, int membership, int hash) {
    hashes[ord] = hash;
    days[ord] = day;
    times[ord] = time;
    partitions[ord] = partition;
    offsets[ord] = offset;
    memberships[ord] = membership;
    states[ord] = LIVE;
  }

  /** The same version again (a retried send): only its position moves to the later copy. */
  boolean sameVersion(int ord, long time, int hash) {
    return states[ord] == LIVE && times[ord] == time && hashes[ord] == hash;
  }

  void moved(int ord, int partition, long offset) {
    partitions[ord] = partition;
    offsets[ord] = offset;
  }

  /** Keeps the last version's position and membership (for the 410 page and tombstones). */
  void retracted(int ord, long time) {
    times[ord] = time;
    states[ord] = RETRACTED;
  }

  public String id(int ord) {
    return ids[ord];
  }

  /** Published date, as an epoch day. */
  public int day(int ord) {
    return days[ord];
  }

  /** Time of the latest version, or of the retraction, in epoch milliseconds. */
  public long time(int ord) {
    return times[ord];
  }

  public int partition(int ord) {
    return partitions[ord];
  }

  /** Offset of the latest version, or -1 if the view has none (retracted before it was seen). */
  public long offset(int ord) {
    return offsets[ord];
  }

  int membership(int ord) {
    return memberships[ord];
  }

  public boolean isLive(int ord) {
    return states[ord] == LIVE;
  }

  public boolean isRetracted(int ord) {
    return states[ord] == RETRACTED;
  }

  /** How many reports are live. */
  public int liveCount() {
    int n = 0;
    for (int i = 0; i < size; i++) {
      if (states[i] == LIVE) {
        n++;
      }
    }
    return n;
  }

  public int size() {
    return size;
  }

  /**
   * Feed order: published date, then the time of the latest version (so a new report of today
   * is on top of today's, where a reader polling the current document sees it), then report id.
   * All three survive compaction: they belong to the version compaction keeps.
   */
  public int compare(int a, int b) {
    int c = Integer.compare(days[a], days[b]);
    if (c != 0) {
      return c;
    }
    c = Long.compare(times[a], times[b]);
    return c != 0 ? c : ids[a].compareTo(ids[b]);
  }

  /** Bytes the arrays hold, ids included (estimated: 40 bytes of String header plus its chars). */
  public long estimatedBytes() {
    return (long) ids.length * (4 + 4 + 8 + 4 + 8 + 4 + 4 + 1) + table.length * 4L + 40L * size + idChars;
  }
}
