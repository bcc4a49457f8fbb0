package org.bulletin.feed.content;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How to read a set of topic positions back in one pass: grouped by partition, offsets ascending,
 * and split into runs. Within a run the reader reads forward from the run's first offset instead
 * of seeking again; a new run starts where the next wanted offset is more than {@code maxGap}
 * records further on, so the records read but not wanted are bounded by {@code maxGap} per gap.
 */
public final class ReadPlan {
  /** Wanted offsets of one partition that are read forward from {@code offsets[0]}. */
  public record Run(int partition, long[] offsets) {
    public long first() {
      return offsets[0];
    }

    public long last() {
      return offsets[offsets.length - 1];
    }
  }

  private final List<Run> runs;

  private ReadPlan(List<Run> runs) {
    this.runs = runs;
  }

  /**
   * @param positions {@link Position#of} codes, any order, duplicates allowed
   * @param maxGap the most records between two wanted offsets of one run (0: every offset its own run)
   */
  public static ReadPlan of(long[] positions, int maxGap) {
    long[] sorted = positions.clone();
    Arrays.sort(sorted); // partition in the top bits: sorts by partition, then offset
    List<Run> runs = new ArrayList<>();
    int from = 0;
    while (from < sorted.length) {
      int partition = Position.partition(sorted[from]);
      long[] offsets = new long[sorted.length - from];
      int n = 0;
      int i = from;
      while (i < sorted.length && Position.partition(sorted[i]) == partition) {
        long offset = Position.offset(sorted[i]);
        if (n > 0 && offset == offsets[n - 1]) {
          i++;
          continue;
        }
        if (n > 0 && offset - offsets[n - 1] > maxGap) {
          break;
        }
        offsets[n++] = offset;
        i++;
      }
      runs.add(new Run(partition, Arrays.copyOf(offsets, n)));
      from = i;
    }
    return new ReadPlan(runs);
  }

  /** The runs, by partition and then offset. */
  public List<Run> runs() {
    return runs;
  }

  /** The runs of each partition in order, one list per partition, partitions ascending. */
  public List<List<Run>> byPartition() {
    List<List<Run>> out = new ArrayList<>();
    for (Run run : runs) {
      if (out.isEmpty() || out.get(out.size() - 1).get(0).partition() != run.partition()) {
        out.add(new ArrayList<>());
      }
      out.get(out.size() - 1).add(run);
    }
    return out;
  }
}
