package org.bulletin.localkafka;

import java.io.IOException;

/**
 * Entry point of the broker's child JVM. Runs Kafka's own {@code kafka.Kafka} main, and exits as
 * soon as its standard input closes: the parent holds the other end of that pipe, so the broker
 * dies with the parent even when the parent is killed with SIGKILL.
 */
public final class BrokerMain {
  private BrokerMain() {}

  public static void main(String[] args) throws Exception {
    Thread watchdog = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // Drain: the parent never writes; end of stream means it is gone.
        }
      } catch (IOException ignored) {
        // A broken pipe means the same as end of stream.
      }
      System.err.println("bulletin: parent process gone, stopping the broker");
      System.exit(0); // Kafka's shutdown hook stops the broker cleanly.
    }, "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    Class.forName("kafka.Kafka").getMethod("main", String[].class).invoke(null, (Object) args);
  }
}
