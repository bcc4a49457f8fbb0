package org.bulletin.platform.exec;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A named pool for blocking work with a bounded queue. When pool and queue are full, work is
 * refused at once with {@link OverloadedException} (callers answer 503) and counted, instead of
 * queueing without bound.
 */
public final class BoundedExecutor implements AutoCloseable {
  private final String name;
  private final ThreadPoolExecutor pool;
  private final AtomicLong rejected = new AtomicLong();

  public BoundedExecutor(String name, int threads, int queueCapacity) {
    this.name = name;
    AtomicInteger n = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(queueCapacity), r -> {
          Thread t = new Thread(r, name + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.AbortPolicy());
  }

  /**
   * Runs {@code task} on this pool; the future completes on {@code context}'s thread. Fails with
   * {@link OverloadedException} when the pool is full.
   */
  public <T> Future<T> submit(Context context, Callable<T> task) {
    Promise<T> promise = Promise.promise();
    try {
      pool.execute(() -> {
        try {
          T result = task.call();
          context.runOnContext(v -> promise.complete(result));
        } catch (Throwable t) {
          context.runOnContext(v -> promise.fail(t));
        }
      });
    } catch (RejectedExecutionException e) {
      rejected.incrementAndGet();
      return Future.failedFuture(new OverloadedException(name));
    }
    return promise.future();
  }

  public String name() {
    return name;
  }

  /** How many tasks were refused because the pool was full. */
  public long rejectedCount() {
    return rejected.get();
  }

  /** Stops at once, interrupting running work; for shutdown when that work may be stuck. */
  public void shutdownNow() {
    pool.shutdownNow();
  }

  @Override
  public void close() {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
