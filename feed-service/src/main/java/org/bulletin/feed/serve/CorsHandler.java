package org.bulletin.feed.serve;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * Lets web-based readers fetch feeds from other origins: every answer carries
 * {@code Access-Control-Allow-Origin: *} and exposes ETag and Last-Modified, so conditional GET
 * works from a browser too; a preflight OPTIONS is answered here (204). Feeds are public and need
 * no credentials, so a wildcard is safe. Runs on the request's event-loop thread.
 */
public final class CorsHandler implements Handler<RoutingContext> {
  static final String ALLOWED_METHODS = "GET, HEAD, OPTIONS";
  static final String ALLOWED_HEADERS = "If-None-Match, If-Modified-Since, Cache-Control";
  static final String EXPOSED_HEADERS = "ETag, Last-Modified, Link"; // Link: WebSub discovery (hub, self)

  @Override
  public void handle(RoutingContext ctx) {
    var response = ctx.response();
    response.putHeader("Access-Control-Allow-Origin", "*");
    if (ctx.request().method() == HttpMethod.OPTIONS) {
      response.putHeader("Access-Control-Allow-Methods", ALLOWED_METHODS)
          .putHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS)
          .putHeader("Access-Control-Max-Age", "86400")
          .putHeader("Allow", ALLOWED_METHODS)
          .setStatusCode(204).end();
      return;
    }
    response.putHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    ctx.next();
  }
}
