package org.bulletin.feed.serve;

import io.vertx.core.Context;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.bulletin.feed.content.ContentUnavailableException;
import org.bulletin.feed.content.ReadBack;
import org.bulletin.schema.MeetingReport;
import java.util.function.BooleanSupplier;
import org.bulletin.feed.metrics.FeedMetrics;
import org.bulletin.platform.exec.BoundedExecutor;
import org.bulletin.platform.exec.OverloadedException;
import org.bulletin.platform.http.Problem;

/**
 * Finds the document for a path: from the cache, else rendered once on the view thread (archive
 * and report pages) with content the read-back pool read from Kafka, else 404. A full render queue
 * or read-back pool answers 503 and is counted, and so does content Kafka does not return in time.
 * Callbacks run on the request's event-loop thread.
 */
public final class DocumentLookup {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DocumentLookup.class);
  private final ReadBack readBack;
  private final DocumentCache cache;
  private final DocumentStore store;
  private final BoundedExecutor viewExecutor;
  private final CachedResponder responder;
  private final FeedMetrics metrics;
  private final BooleanSupplier ready;
  private final NotFound notFound;

  public DocumentLookup(DocumentCache cache, DocumentStore store, BoundedExecutor viewExecutor, ReadBack readBack,
      CachedResponder responder, FeedMetrics metrics, BooleanSupplier ready, NotFound notFound) {
    this.readBack = readBack;
    this.notFound = notFound;
    this.cache = cache;
    this.store = store;
    this.viewExecutor = viewExecutor;
    this.responder = responder;
    this.metrics = metrics;
    this.ready = ready;
  }

  public void serve(RoutingContext ctx, String path, String metricLabel) {
    var cached = cache.get(path);
    if (cached.isPresent()) {
      respond(ctx, path, cached.get(), metricLabel);
      return;
    }
    if (!ready.getAsBoolean()) {
      metrics.request(metricLabel, 503);
      ctx.response().putHeader("Retry-After", "2");
      Problem.of(503, "not-ready", "Not ready", "The feeds are being rebuilt from Kafka; retry shortly.").send(ctx);
      return;
    }
    render(ctx, path, metricLabel, new long[0], Map.of(), 0);
  }

  /**
   * The document at a path as a request would get it (cached, else rendered on demand with content
   * read back), or empty when there is none. For callers without a request, e.g. the WebSub hub.
   * Completes on {@code context}.
   */
  public io.vertx.core.Future<java.util.Optional<CachedDocument>> find(Context context, String path) {
    var cached = cache.get(path);
    if (cached.isPresent()) {
      return io.vertx.core.Future.succeededFuture(cached);
    }
    return find(context, path, new long[0], Map.of(), 0);
  }

  private io.vertx.core.Future<java.util.Optional<CachedDocument>> find(Context context, String path, long[] asked,
      Map<Long, MeetingReport> supplied, int round) {
    return viewExecutor.submit(context, () -> store.prepareOnDemand(path, asked, supplied)).compose(result -> {
      if (result instanceof DocumentStore.OnDemand.Rendered rendered) {
        return io.vertx.core.Future.succeededFuture(rendered.document());
      }
      if (result instanceof DocumentStore.OnDemand.Unavailable || round + 1 >= ROUNDS) {
        return io.vertx.core.Future.failedFuture(new ContentUnavailableException(path + " could not be rendered now"));
      }
      long[] missing = ((DocumentStore.OnDemand.Missing) result).positions();
      return readBack.fetch(context, missing)
          .compose(read -> find(context, path, concat(asked, missing), merge(supplied, read), round + 1));
    });
  }

  /**
   * One round: the view thread renders with what is at hand, or names the reports it lacks, which
   * the read-back pool reads (never the view thread); then the next round renders. A round finds
   * more missing only if the view moved meanwhile; after {@link #ROUNDS} the request gets 503.
   */
  private void render(RoutingContext ctx, String path, String metricLabel, long[] asked,
      Map<Long, MeetingReport> supplied, int round) {
    Context context = ctx.vertx().getOrCreateContext();
    viewExecutor.submit(context, () -> store.prepareOnDemand(path, asked, supplied))
        .onSuccess(result -> {
          if (result instanceof DocumentStore.OnDemand.Rendered rendered) {
            if (rendered.document().isPresent()) {
              respond(ctx, path, rendered.document().get(), metricLabel);
            } else {
              metrics.request(metricLabel, 404);
              notFound.send(ctx);
            }
          } else if (result instanceof DocumentStore.OnDemand.Unavailable) {
            unavailable(ctx, metricLabel, path + " waits for its reports to be read back from Kafka");
          } else if (round + 1 >= ROUNDS) {
            unavailable(ctx, metricLabel, "the view kept changing while " + path + " was read back");
          } else {
            long[] missing = ((DocumentStore.OnDemand.Missing) result).positions();
            readBack.fetch(context, missing)
                .onSuccess(read -> render(ctx, path, metricLabel, concat(asked, missing), merge(supplied, read),
                    round + 1))
                .onFailure(error -> failed(ctx, metricLabel, readBack.name(), error));
          }
        })
        .onFailure(error -> failed(ctx, metricLabel, viewExecutor.name(), error));
  }

  private static final int ROUNDS = 3;

  private void failed(RoutingContext ctx, String metricLabel, String executor, Throwable error) {
    if (error instanceof OverloadedException) {
      metrics.overloaded(executor);
      metrics.request(metricLabel, 503);
      ctx.response().putHeader("Retry-After", "1");
      Problem.of(503, "overloaded", "Overloaded", "Too many pages are being rendered; retry shortly.").send(ctx);
    } else if (error instanceof ContentUnavailableException) {
      unavailable(ctx, metricLabel, error.getMessage());
    } else {
      ctx.fail(error);
    }
  }

  /** Kafka did not give the page's content back in time: 503, counted, logged without leaking it. */
  private void unavailable(RoutingContext ctx, String metricLabel, String reason) {
    metrics.readBackFailed();
    metrics.request(metricLabel, 503);
    LOG.warn("A page could not be rendered: {}", reason);
    ctx.response().putHeader("Retry-After", "5");
    Problem.of(503, "content-unavailable", "Content unavailable",
        "This page's reports could not be read from Kafka just now; retry shortly.").send(ctx);
  }

  private static long[] concat(long[] a, long[] b) {
    long[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static Map<Long, MeetingReport> merge(Map<Long, MeetingReport> a, Map<Long, MeetingReport> b) {
    if (a.isEmpty()) {
      return b;
    }
    Map<Long, MeetingReport> out = new HashMap<>(a);
    out.putAll(b);
    return out;
  }

  /** An error page (410) goes to browsers as HTML, to API clients as its problem+json variant. */
  private void respond(RoutingContext ctx, String path, CachedDocument doc, String metricLabel) {
    if (doc.status() != 200 && !NotFound.prefersHtml(ctx.request().getHeader("Accept"))) {
      var problem = cache.get(DocumentStore.PROBLEM + path);
      if (problem.isPresent()) {
        responder.respond(ctx, problem.get(), metricLabel);
        return;
      }
    }
    responder.respond(ctx, doc, metricLabel);
  }
}
