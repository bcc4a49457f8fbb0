package org.bulletin.platform.exec;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Runs a verticle's blocking clean-up on a short-lived thread of its own: never on an event loop,
 * and not on the verticle's admin executor, which may still be waiting on an unreachable Kafka.
 */
public final class ShutdownThread {
  private ShutdownThread() {}

  /** Starts {@code work}; the future completes when it ends, failed if it threw. */
  public static Future<Void> run(String name, Runnable work) {
    Promise<Void> done = Promise.promise();
    Thread thread = new Thread(() -> {
      try {
        work.run();
        done.complete();
      } catch (RuntimeException e) {
        done.fail(e);
      }
    }, name);
    thread.start();
    return done.future();
  }
}
