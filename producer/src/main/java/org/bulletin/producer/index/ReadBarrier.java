package org.bulletin.producer.index;

import io.vertx.core.Future;

/**
 * Lets a caller wait until the {@link ReportIndex} holds everything the reports topic held, for
 * one report, at the moment of the call: what another instance wrote a moment ago is then known
 * here too, so "no such report" is never answered from a stale index.
 */
public interface ReadBarrier {
  /** For a single instance that sees every write itself (the CLI): nothing to wait for. */
  ReadBarrier NONE = reportId -> Future.succeededFuture();

  /**
   * Completes on the caller's Vert.x context once the index has read past the current end of the
   * partition {@code reportId} is written to; fails with {@link IndexBehindException} when that
   * does not happen in time, or with an {@code OverloadedException} when too many wait.
   */
  Future<Void> await(String reportId);
}
