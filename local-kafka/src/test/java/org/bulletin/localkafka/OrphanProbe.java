package org.bulletin.localkafka;

import java.nio.file.Path;

/** Run in its own JVM by {@link LocalKafkaIT}: starts a broker, prints its pid, then waits to be killed. */
public final class OrphanProbe {
  private OrphanProbe() {}

  public static void main(String[] args) throws Exception {
    LocalKafka kafka = LocalKafka.start(LocalKafkaSettings.ephemeral(Path.of(args[0])));
    System.out.println("BROKER_PID " + kafka.pid());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
