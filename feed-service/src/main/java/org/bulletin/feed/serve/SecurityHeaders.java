package org.bulletin.feed.serve;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.bulletin.feed.render.PageRenderer;

/**
 * Headers that keep a browser from turning served content against its reader, on every response
 * of the public port: the pages' strict Content-Security-Policy (it denies everything a feed or a
 * problem document could use, too), no MIME sniffing, and only the origin as referrer elsewhere.
 */
public final class SecurityHeaders {
  static final CharSequence CSP = HttpHeaders.createOptimized("Content-Security-Policy");
  static final CharSequence CSP_VALUE = HttpHeaders.createOptimized(PageRenderer.CONTENT_SECURITY_POLICY);
  static final CharSequence NOSNIFF = HttpHeaders.createOptimized("X-Content-Type-Options");
  static final CharSequence NOSNIFF_VALUE = HttpHeaders.createOptimized("nosniff");
  static final CharSequence REFERRER = HttpHeaders.createOptimized("Referrer-Policy");
  static final CharSequence REFERRER_VALUE = HttpHeaders.createOptimized("strict-origin-when-cross-origin");

  private SecurityHeaders() {}

  /** Adds the headers before any other route of {@code router} runs, 404s and problems included. */
  public static void install(Router router) {
    router.route().order(-1).handler(SecurityHeaders::handle);
  }

  /** Runs on the request's event-loop thread. */
  static void handle(RoutingContext ctx) {
    ctx.response().headers()
        .set(CSP, CSP_VALUE)
        .set(NOSNIFF, NOSNIFF_VALUE)
        .set(REFERRER, REFERRER_VALUE);
    ctx.next();
  }
}
