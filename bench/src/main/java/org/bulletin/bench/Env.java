package org.bulletin.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What every scenario shares.
 *
 * @param smoke tiny sizes and short runs, to check the benchmark itself in under a minute
 * @param filled reports topics already produced, by size: scenarios that need the same history reuse it
 */
record Env(String bootstrap, int runs, boolean smoke, Path workDir, Map<Integer, String> filled) {
  Env(String bootstrap, int runs, boolean smoke, Path workDir) {
    this(bootstrap, runs, smoke, workDir, new HashMap<>());
  }

  int seconds(int full, int smokeSeconds) {
    return smoke ? smokeSeconds : full;
  }

  int size(int full, int smokeSize) {
    return smoke ? smokeSize : full;
  }

  /**
   * A reports topic holding {@code n} reports of about 2 KB, with publication dates spread over
   * ten years ({@link EventSender#spreadReport}); produced the first time a scenario asks for it.
   */
  String reportsTopic(int n) throws Exception {
    String topic = filled.get(n);
    if (topic == null) {
      topic = "bench-history-" + n + "-" + UUID.randomUUID().toString().substring(0, 8);
      try (Stack stack = new Stack(bootstrap, Map.of("topics.reports", topic))) {
        long t0 = System.nanoTime();
        CatchUpScenario.fill(bootstrap, topic, n, "history");
        System.out.printf("bench: produced %d reports to %s in %.1f s%n", n, topic, (System.nanoTime() - t0) / 1e9);
      }
      filled.put(n, topic);
    }
    return topic;
  }
}
