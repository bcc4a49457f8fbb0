package org.bulletin.feed.serve;

import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;
import org.bulletin.feed.metrics.FeedMetrics;
import org.bulletin.platform.exec.BoundedExecutor;
import org.bulletin.platform.exec.OverloadedException;
import org.bulletin.platform.http.Problem;

/**
 * Finds the document for a path: from the cache, else rendered once on the view thread (archive
 * and report pages), else 404. A full render queue answers 503 and is counted. Callbacks run on
 * the request's event-loop thread.
 */
public final class DocumentLookup {
  private final DocumentCache cache;
  private final DocumentStore store;
  private final BoundedExecutor viewExecutor;
  private final CachedResponder responder;
  private final FeedMetrics metrics;
  private final BooleanSupplier ready;
  private final NotFound notFound;

  public DocumentLookup(DocumentCache cache, DocumentStore store, BoundedExecutor viewExecutor,
      CachedResponder responder, FeedMetrics metrics, BooleanSupplier ready, NotFound notFound) {
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
    viewExecutor.submit(ctx.vertx().getOrCreateContext(), () -> store.renderOnDemand(path))
        .onSuccess(doc -> {
          if (doc.isPresent()) {
            respond(ctx, path, doc.get(), metricLabel);
          } else {
            metrics.request(metricLabel, 404);
            notFound.send(ctx);
          }
        })
        .onFailure(error -> {
          if (error instanceof OverloadedException) {
            metrics.overloaded(viewExecutor.name());
            metrics.request(metricLabel, 503);
            ctx.response().putHeader("Retry-After", "1");
            Problem.of(503, "overloaded", "Overloaded", "Too many pages are being rendered; retry shortly.").send(ctx);
          } else {
            ctx.fail(error);
          }
        });
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
