package org.bulletin.localkafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to run the local broker.
 *
 * @param dataDir folder for the broker's logs and metadata; kept across restarts
 * @param port client port on 127.0.0.1, 0 for any free port
 * @param controllerPort KRaft controller port, 0 for any free port
 * @param heapMb maximum heap of the broker JVM
 * @param startTimeout how long to wait for the broker to answer
 */
public record LocalKafkaSettings(Path dataDir, int port, int controllerPort, int heapMb, Duration startTimeout) {
  public LocalKafkaSettings {
    Objects.requireNonNull(dataDir, "dataDir");
    if (port < 0 || port > 65535 || controllerPort < 0 || controllerPort > 65535) {
      throw new IllegalArgumentException("ports must be within 0..65535");
    }
    if (heapMb < 128) {
      throw new IllegalArgumentException("the broker needs at least 128 MB of heap");
    }
  }

  /** Free ports, 512 MB heap, 60 s to start. */
  public static LocalKafkaSettings ephemeral(Path dataDir) {
    return new LocalKafkaSettings(dataDir, 0, 0, 512, Duration.ofSeconds(60));
  }
}
