package org.bulletin.producer.index;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.IntToLongFunction;
import org.bulletin.platform.exec.BoundedExecutor;

/**
 * A {@link ReadBarrier} that asks Kafka for the end offset of the report's partition on a named
 * bounded pool (never on an event loop), then checks on a Vert.x timer until the index reader's
 * position on that partition reached it. The reader thread alone owns its consumer; it only
 * publishes its positions, which this reads.
 */
public final class PartitionReadBarrier implements ReadBarrier {
  private static final long CHECK_EVERY_MS = 10;

  private final Vertx vertx;
  private final EndOffsets endOffsets;
  private final IntToLongFunction readerPosition;
  private final BoundedExecutor executor;
  private final long timeoutMs;

  /**
   * @param readerPosition the index reader's position on a partition (the next offset it will
   *     read, after applying everything before it), or -1 when not known yet
   * @param timeoutMs how long a call waits in all (end offset fetch included) before failing
   */
  public PartitionReadBarrier(Vertx vertx, EndOffsets endOffsets, IntToLongFunction readerPosition,
      BoundedExecutor executor, long timeoutMs) {
    this.vertx = vertx;
    this.endOffsets = endOffsets;
    this.readerPosition = readerPosition;
    this.executor = executor;
    this.timeoutMs = timeoutMs;
  }

  /** Completes on the calling Vert.x context (or a new one when called off a context). */
  @Override
  public Future<Void> await(String reportId) {
    Context context = vertx.getOrCreateContext();
    long deadline = System.currentTimeMillis() + timeoutMs;
    return executor.submit(context, () -> endOffsets.of(reportId, timeoutMs))
        .compose(end -> reached(context, end, deadline));
  }

  private Future<Void> reached(Context context, PartitionEnd end, long deadline) {
    if (passed(end)) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> vertx.setPeriodic(CHECK_EVERY_MS, timer -> {
      if (passed(end)) {
        vertx.cancelTimer(timer);
        done.tryComplete();
      } else if (System.currentTimeMillis() > deadline) {
        vertx.cancelTimer(timer);
        done.tryFail(new IndexBehindException("the report index had not read partition " + end.partition()
            + " up to offset " + end.endOffset() + " within " + timeoutMs + " ms"));
      }
    }));
    return done.future();
  }

  private boolean passed(PartitionEnd end) {
    return readerPosition.applyAsLong(end.partition()) >= end.endOffset();
  }
}
