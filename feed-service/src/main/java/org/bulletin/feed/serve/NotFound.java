package org.bulletin.feed.serve;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.bulletin.platform.http.Problem;

/**
 * Error answers by content negotiation: a browser (Accept names text/html) gets an HTML page with
 * the site's links; API clients and tools such as curl ({@code *}{@code /*}) keep problem+json.
 * Runs on the request's event-loop thread.
 */
public final class NotFound {
  private final Buffer page;

  public NotFound(byte[] page) {
    this.page = Buffer.buffer(page);
  }

  /** Answers 404 for {@code ctx}'s path. */
  public void send(RoutingContext ctx) {
    ctx.response().putHeader("Vary", "Accept");
    if (prefersHtml(ctx.request().getHeader("Accept"))) {
      ctx.response().setStatusCode(404).putHeader("Content-Type", DocumentStore.HTML)
          .putHeader("Cache-Control", "no-store").end(page);
    } else {
      Problem.of(404, "not-found", "Not found", "No document at " + ctx.request().path() + ".").send(ctx);
    }
  }

  /** True when the client names text/html (or XHTML) with a non-zero quality, as browsers do. */
  public static boolean prefersHtml(String accept) {
    if (accept == null) {
      return false;
    }
    for (String part : accept.split(",")) {
      String[] p = part.trim().split(";");
      String type = p[0].trim().toLowerCase(java.util.Locale.ROOT);
      if (type.equals("text/html") || type.equals("application/xhtml+xml")) {
        for (int i = 1; i < p.length; i++) {
          if (p[i].trim().replace(" ", "").matches("q=0(\\.0*)?")) {
            return false;
          }
        }
        return true;
      }
    }
    return false;
  }

  /** The 410 problem of a retracted report: when, and the publisher's reason if known. */
  static byte[] retractedProblem(String path, String id, Instant when, String reason) {
    JsonObject json = Problem.of(410, "retracted", "Report retracted", "The report " + id
        + " was retracted by its publisher on " + when + (reason == null ? "." : ": " + reason)).toJson(path)
        .put("retractedAt", when.toString());
    if (reason != null) {
      json.put("reason", reason);
    }
    return json.encode().getBytes(StandardCharsets.UTF_8);
  }
}
