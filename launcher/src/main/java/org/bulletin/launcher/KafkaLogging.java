package org.bulletin.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's client logging on the command line: it repeats every failed connection attempt as a
 * WARN line, which buries the one message that says what to do. Quiet (errors only) unless a
 * command is given {@code --verbose}.
 */
final class KafkaLogging {
  private KafkaLogging() {}

  static void quiet() {
    set(Level.ERROR);
  }

  static void verbose() {
    set(Level.INFO);
  }

  private static void set(Level level) {
    if (LoggerFactory.getLogger("org.apache.kafka") instanceof Logger logger) {
      logger.setLevel(level);
    }
  }
}
