package org.bulletin.feed.content;

/** A record's place in the topic coded in one long: partition in the top 16 bits, offset below. */
public final class Position {
  private Position() {}

  public static long of(int partition, long offset) {
    return ((long) partition << 48) | offset;
  }

  public static int partition(long position) {
    return (int) (position >>> 48);
  }

  public static long offset(long position) {
    return position & ((1L << 48) - 1);
  }
}
