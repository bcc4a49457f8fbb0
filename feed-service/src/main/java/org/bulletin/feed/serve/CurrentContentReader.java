package org.bulletin.feed.serve;

import io.vertx.core.Context;
import java.util.function.Supplier;
import org.bulletin.feed.content.ReadBack;
import org.bulletin.platform.exec.BoundedExecutor;

/**
 * Reads the content current documents need on the read-back pool ({@code feed.readback.*}, with
 * its timeout), never on the view thread, and hands the result back to the view thread. After a
 * failed read it asks the view thread to try again after {@link #RETRY_MS}, so a feed that gets no
 * new reports still recovers. Called on the view thread; callbacks go to the view executor.
 */
public final class CurrentContentReader {
  static final long RETRY_MS = 1_000;
  private final Context context;
  private final ReadBack readBack;
  private final BoundedExecutor viewExecutor;
  private final Supplier<DocumentStore> store;

  /** @param store the store to call back (built after this reader, hence a supplier) */
  public CurrentContentReader(Context context, ReadBack readBack, BoundedExecutor viewExecutor,
      Supplier<DocumentStore> store) {
    this.context = context;
    this.readBack = readBack;
    this.viewExecutor = viewExecutor;
    this.store = store;
  }

  /** Starts reading {@code positions}; the store hears about the outcome on the view thread. */
  public void read(long[] positions) {
    context.runOnContext(v -> readBack.fetch(context, positions).onComplete(ar -> {
      if (ar.succeeded()) {
        onView(() -> store.get().currentContentRead(positions, ar.result()));
      } else {
        onView(() -> store.get().currentContentFailed(ar.cause()));
        context.owner().setTimer(RETRY_MS, t -> onView(() -> store.get().retryStale()));
      }
    }));
  }

  private void onView(Runnable task) {
    // A full render queue refuses: the store must still hear, or its documents would wait forever.
    viewExecutor.submit(context, () -> {
      task.run();
      return null;
    }).onFailure(full -> context.owner().setTimer(RETRY_MS, t -> onView(task)));
  }
}
