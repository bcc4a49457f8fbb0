package org.bulletin.feed.view;

/**
 * Where a change sits in the feeds' history: by record timestamp, then partition and offset. The
 * same records give the same order on every instance, whatever order the partitions arrive in.
 */
public record EntryKey(long timestamp, int partition, long offset) implements Comparable<EntryKey> {
  @Override
  public int compareTo(EntryKey o) {
    int c = Long.compare(timestamp, o.timestamp);
    if (c != 0) {
      return c;
    }
    c = Integer.compare(partition, o.partition);
    return c != 0 ? c : Long.compare(offset, o.offset);
  }
}
