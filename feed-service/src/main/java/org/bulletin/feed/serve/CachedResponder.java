package org.bulletin.feed.serve;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.bulletin.feed.metrics.FeedMetrics;

/**
 * Answers a request from a cached document: conditional GET (If-None-Match, then
 * If-Modified-Since), gzip when accepted, HEAD, Cache-Control. Never renders. Runs on the
 * request's event-loop thread.
 */
public final class CachedResponder {
  private final FeedMetrics metrics;
  private final String cacheControl;
  private final String settledCacheControl;

  public CachedResponder(FeedMetrics metrics, int maxAgeSeconds) {
    this(metrics, maxAgeSeconds, maxAgeSeconds);
  }

  /**
   * @param settledMaxAgeSeconds for archive pages only a correction, backfill or retraction can
   *     change: longer than the current documents', but not {@code immutable} (they can change)
   */
  public CachedResponder(FeedMetrics metrics, int maxAgeSeconds, int settledMaxAgeSeconds) {
    this.metrics = metrics;
    this.cacheControl = "public, max-age=" + maxAgeSeconds;
    this.settledCacheControl = "public, max-age=" + settledMaxAgeSeconds;
  }

  /** Error pages briefly; settled archive pages longer than everything else. */
  String cacheControl(CachedDocument doc) {
    return doc.status() != 200 ? "public, max-age=60" : doc.settled() ? settledCacheControl : cacheControl;
  }

  public void respond(RoutingContext ctx, CachedDocument doc, String metricLabel) {
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    boolean gzip = acceptsGzip(request.getHeader("Accept-Encoding"));
    String etag = gzip ? doc.gzipEtag() : doc.etag();
    response.putHeader("ETag", etag)
        .putHeader("Last-Modified", doc.lastModifiedHttp())
        .putHeader("Cache-Control", cacheControl(doc))
        .putHeader("Vary", doc.status() == 200 ? "Accept-Encoding" : "Accept, Accept-Encoding");
    if (doc.link() != null) {
      response.putHeader("Link", doc.link()); // on 304 too: it describes the resource
    }
    if (doc.status() == 200 && notModified(request, doc)) {
      metrics.request(metricLabel, 304);
      response.setStatusCode(304).end();
      return;
    }
    Buffer body = gzip ? doc.gzip() : doc.body();
    response.setStatusCode(doc.status()).putHeader("Content-Type", doc.contentType());
    if (gzip) {
      response.putHeader("Content-Encoding", "gzip");
    }
    metrics.request(metricLabel, doc.status());
    if (request.method() == HttpMethod.HEAD) {
      response.putHeader("Content-Length", String.valueOf(body.length())).end();
    } else {
      response.end(body);
    }
  }

  private static boolean notModified(HttpServerRequest request, CachedDocument doc) {
    String ifNoneMatch = request.getHeader("If-None-Match");
    if (ifNoneMatch != null) {
      // Weak comparison (RFC 9110 13.1.2): either encoding's tag, with or without W/.
      for (String tag : ifNoneMatch.split(",")) {
        String t = tag.trim();
        if (t.startsWith("W/")) {
          t = t.substring(2);
        }
        if (t.equals("*") || t.equals(doc.etag()) || t.equals(doc.gzipEtag())) {
          return true;
        }
      }
      return false;
    }
    String ifModifiedSince = request.getHeader("If-Modified-Since");
    if (ifModifiedSince != null && (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD)) {
      try {
        Instant since = ZonedDateTime.parse(ifModifiedSince, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return !doc.lastModified().isAfter(since);
      } catch (DateTimeParseException ignored) {
        return false; // An invalid date is ignored, as RFC 9110 says.
      }
    }
    return false;
  }

  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String part : acceptEncoding.split(",")) {
      String[] p = part.trim().split(";");
      String coding = p[0].trim();
      if (coding.equalsIgnoreCase("gzip") || coding.equals("*")) {
        for (int i = 1; i < p.length; i++) {
          String param = p[i].trim().replace(" ", "");
          if (param.equals("q=0") || param.matches("q=0(\\.0+)?")) {
            return false;
          }
        }
        return true;
      }
    }
    return false;
  }
}
