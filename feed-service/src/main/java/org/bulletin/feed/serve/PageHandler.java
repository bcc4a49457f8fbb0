package org.bulletin.feed.serve;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** {@code GET|HEAD /} and {@code /reports/{id}}: the index and the HTML page of each report. */
public final class PageHandler implements Handler<RoutingContext> {
  private final DocumentLookup lookup;

  public PageHandler(DocumentLookup lookup) {
    this.lookup = lookup;
  }

  /** Runs on the request's event-loop thread. */
  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.request().path();
    lookup.serve(ctx, path, path.equals("/") ? "index" : "report-page");
  }
}
