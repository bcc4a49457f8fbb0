package org.bulletin.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A figure measured several times: median, min, max. */
public record Stats(String unit, List<Double> runs) {
  public double median() {
    List<Double> sorted = new ArrayList<>(runs);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  public double min() {
    return Collections.min(runs);
  }

  public double max() {
    return Collections.max(runs);
  }

  /** The p-th percentile (0..100) of raw samples, nearest rank. */
  public static double percentile(List<Double> samples, double p) {
    if (samples.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }
}
