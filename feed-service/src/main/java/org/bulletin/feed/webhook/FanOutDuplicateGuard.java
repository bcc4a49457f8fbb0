package org.bulletin.feed.webhook;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the last event fanned out for each report, so that an event whose id equals it is
 * not delivered again. Event ids derive from type and content, so this catches identical content
 * written twice (two producer instances racing with the same report). A complement to the
 * producer's check, not a guarantee: it holds the {@code capacity} most recent reports, and it
 * forgets a partition's reports whenever that partition's offsets skip (another instance read
 * the records between, so its memory of them may be stale).
 *
 * <p>Changes are staged per fan-out batch and kept once the batch's tasks are sent
 * ({@link #commit()}); when a run fails, the next one rewinds to the committed offsets and the
 * guard forgets each partition whose offsets skip back. Confined to the fan-out thread.
 */
final class FanOutDuplicateGuard {
  private record Last(String eventId, int partition) {}

  private final LinkedHashMap<String, Last> byReport;
  private final Map<Integer, Long> nextOffset = new HashMap<>();
  private final Map<String, Last> staged = new HashMap<>();
  private final Map<Integer, Long> stagedNext = new HashMap<>();

  FanOutDuplicateGuard(int capacity) {
    this.byReport = new LinkedHashMap<>(256, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Last> eldest) {
        return size() > capacity;
      }
    };
  }

  /** Starts a batch, dropping whatever an unfinished one staged. */
  void begin() {
    staged.clear();
    stagedNext.clear();
  }

  /**
   * Notes the event at {@code partition}/{@code offset}.
   *
   * @return false when it repeats the report's previous event (same id): deliver nothing
   */
  boolean isNew(int partition, long offset, String reportId, String eventId) {
    Long expected = stagedNext.containsKey(partition) ? stagedNext.get(partition) : nextOffset.get(partition);
    if (expected != null && expected != offset) {
      forgetPartition(partition);
    }
    stagedNext.put(partition, offset + 1);
    if (eventId == null) {
      return true; // a tombstone: nothing to deliver, only the position moves
    }
    Last previous = staged.containsKey(reportId) ? staged.get(reportId) : byReport.get(reportId);
    staged.put(reportId, new Last(eventId, partition));
    // Only within one partition: after partitions are added a report's events may move to another
    // one, whose history (read by other instances) this guard cannot vouch for.
    return previous == null || previous.partition() != partition || !previous.eventId().equals(eventId);
  }

  /** The batch's tasks are sent: keep what it staged. */
  void commit() {
    staged.forEach((reportId, last) -> {
      byReport.remove(reportId); // re-inserted: the most recent report is evicted last
      byReport.put(reportId, last);
    });
    nextOffset.putAll(stagedNext);
    begin();
  }

  private void forgetPartition(int partition) {
    byReport.values().removeIf(last -> last.partition() == partition);
    staged.values().removeIf(last -> last.partition() == partition);
  }
}
