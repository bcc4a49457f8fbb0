package org.bulletin.feed.serve;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** {@code GET|HEAD /feeds/…}: current feed documents and archive pages in RSS, Atom and JSON Feed. */
public final class FeedHandler implements Handler<RoutingContext> {
  private final DocumentLookup lookup;

  public FeedHandler(DocumentLookup lookup) {
    this.lookup = lookup;
  }

  /** Runs on the request's event-loop thread. */
  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.request().path();
    lookup.serve(ctx, path, label(path));
  }

  /** A bounded set of metric labels: never the path itself. */
  static String label(String path) {
    if (path.contains("/archive/")) {
      return "archive";
    }
    String ext = path.substring(path.lastIndexOf('.') + 1);
    if (path.startsWith("/feeds/reports.")) {
      return "reports." + ext;
    }
    if (path.startsWith("/feeds/districts/")) {
      return "district." + ext;
    }
    return path.startsWith("/feeds/tags/") ? "tag." + ext : "other";
  }
}
