package org.bulletin.feed.content;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;
import org.bulletin.platform.exec.BoundedExecutor;
import org.bulletin.schema.MeetingReport;

/**
 * Reads report content back off the view thread: a named bounded pool whose threads each borrow
 * one of as many reusable fetchers (a fetcher owns a Kafka consumer, which one thread at a time may
 * use). A full pool refuses at once ({@link org.bulletin.platform.exec.OverloadedException}).
 */
public final class ReadBack implements AutoCloseable {
  private final BoundedExecutor executor;
  private final BlockingQueue<ReportFetcher> fetchers;

  /**
   * @param threads reads in flight at once, each with a fetcher of its own
   * @param queue reads waiting beyond those
   */
  public ReadBack(String name, int threads, int queue, Supplier<ReportFetcher> fetcher) {
    this.executor = new BoundedExecutor(name, threads, queue);
    this.fetchers = new ArrayBlockingQueue<>(threads);
    for (int i = 0; i < threads; i++) {
      fetchers.add(fetcher.get());
    }
  }

  /** Reads {@code positions} back on the pool; the future completes on {@code context}'s thread. */
  public Future<Map<Long, MeetingReport>> fetch(Context context, long[] positions) {
    return executor.submit(context, () -> {
      // Never waits: the pool has no more threads than fetchers.
      ReportFetcher f = fetchers.take();
      try {
        return f.fetch(positions);
      } finally {
        fetchers.add(f);
      }
    });
  }

  public String name() {
    return executor.name();
  }

  /** Stops the pool (interrupting reads in progress), then closes the fetchers. */
  @Override
  public void close() {
    executor.shutdownNow();
    executor.close();
    for (ReportFetcher f : fetchers) {
      f.close();
    }
  }
}
