package org.bulletin.feed.consume;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether the view keeps up with the reports topic. It remembers the end offsets of the topic at
 * one moment and waits until the view has applied up to them; then it takes the next ones. Under
 * a steady load each mark is reached within a few polls, however large the lag in records; a view
 * that cannot keep up never reaches its mark, and after {@code maxBehind} it is reported. Time
 * since the mark counts also while the consumer waits for a slow view thread, so a view that
 * stops applying while behind is reported too (one that stops while current is the consumer
 * thread's stall, which {@code ConsumerThread.health} reports).
 *
 * <p>{@link #observe} runs on the consumer thread only; {@link #problem} on any thread.
 */
public final class ViewLag {
  private final long maxBehindNanos;
  private final LongSupplier nanoClock;
  // Confined to the consumer thread.
  private Map<TopicPartition, Long> mark;
  // Written by the consumer thread, read by health checks.
  private volatile long markAtNanos;
  private volatile boolean watching;
  private volatile boolean behind;
  private volatile long lagRecords;

  public ViewLag(long maxBehindSeconds) {
    this(maxBehindSeconds, System::nanoTime);
  }

  ViewLag(long maxBehindSeconds, LongSupplier nanoClock) {
    this.maxBehindNanos = TimeUnit.SECONDS.toNanos(maxBehindSeconds);
    this.nanoClock = nanoClock;
  }

  /**
   * After a batch was applied: where the view is ({@code applied}, the next offset per partition)
   * and where the topic ends ({@code ends}). Partitions without a known end are left out of both.
   */
  public void observe(Map<TopicPartition, Long> applied, Map<TopicPartition, Long> ends) {
    long now = nanoClock.getAsLong();
    long lag = 0;
    for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
      lag += Math.max(0, e.getValue() - applied.getOrDefault(e.getKey(), 0L));
    }
    lagRecords = lag;
    if (mark == null || reached(applied, mark)) {
      mark = Map.copyOf(ends);
      markAtNanos = now;
      behind = !reached(applied, mark);
    }
    watching = true;
  }

  private static boolean reached(Map<TopicPartition, Long> applied, Map<TopicPartition, Long> mark) {
    for (Map.Entry<TopicPartition, Long> e : mark.entrySet()) {
      if (applied.getOrDefault(e.getKey(), 0L) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** How long the view has been short of the mark it is working towards, in seconds; 0 if it is at it. */
  public long behindSeconds() {
    return watching && behind ? TimeUnit.NANOSECONDS.toSeconds(nanoClock.getAsLong() - markAtNanos) : 0;
  }

  /** Null while the view keeps up, else why it does not. */
  public String problem() {
    if (!watching || !behind) {
      return null;
    }
    long behindNanos = nanoClock.getAsLong() - markAtNanos;
    if (behindNanos <= maxBehindNanos) {
      return null;
    }
    return "the view cannot keep up: it has not applied what the reports topic held "
        + TimeUnit.NANOSECONDS.toSeconds(behindNanos) + " s ago (lag " + lagRecords + " records)";
  }
}
