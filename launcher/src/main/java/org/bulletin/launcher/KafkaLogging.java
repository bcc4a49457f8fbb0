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
    set("org.apache.kafka", Level.ERROR);
  }

  static void verbose() {
    set("org.apache.kafka", Level.INFO);
    set("org.bulletin", Level.INFO);
  }

  /** For one-shot commands (publish): Bulletin's own INFO lines are noise there, warnings are not. */
  static void quietBulletin() {
    set("org.bulletin", Level.WARN);
  }

  private static void set(String name, Level level) {
    if (LoggerFactory.getLogger(name) instanceof Logger logger) {
      logger.setLevel(level);
    }
  }
}
