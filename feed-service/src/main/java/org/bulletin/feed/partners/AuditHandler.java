package org.bulletin.feed.partners;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.bulletin.platform.audit.AuditReader;
import org.bulletin.platform.exec.BoundedExecutor;
import org.bulletin.platform.exec.OverloadedException;
import org.bulletin.platform.http.Problem;
import org.bulletin.platform.http.ProblemException;

/**
 * {@code GET /v1/audit?partnerId=&since=&until=&limit=} (admins only): audit entries oldest first,
 * at most {@code limit} (1 to 500, default 100); {@code since} defaults to a day ago. Reading Kafka
 * runs on the audit executor; the answer is sent on the request's event loop.
 */
public final class AuditHandler {
  private static final int MAX_LIMIT = 500;

  private final AuditReader reader;
  private final BoundedExecutor executor;

  public AuditHandler(AuditReader reader, BoundedExecutor executor) {
    this.reader = reader;
    this.executor = executor;
  }

  public void list(RoutingContext ctx) {
    String partnerId = ctx.queryParams().get("partnerId");
    Instant now = Instant.now();
    Instant since = time(ctx, "since", now.minusSeconds(86_400));
    Instant until = time(ctx, "until", now);
    int limit = limit(ctx);
    if (until.isBefore(since)) {
      throw new ProblemException(Problem.of(400, "invalid-request", "Invalid request", "until is before since."));
    }
    executor.submit(ctx.vertx().getOrCreateContext(), () -> reader.read(partnerId, since, until, limit))
        .onSuccess(page -> {
          JsonArray items = new JsonArray();
          page.entries().forEach(e -> items.add(e.toJson()));
          JsonObject json = new JsonObject().put("items", items).put("truncated", page.truncated());
          if (page.truncated() && !page.entries().isEmpty()) {
            json.put("nextSince", page.entries().get(page.entries().size() - 1).at().plusMillis(1).toString());
          }
          ctx.response().putHeader("Cache-Control", "no-store");
          ctx.json(json);
        })
        .onFailure(e -> {
          if (e instanceof OverloadedException) {
            ctx.response().putHeader("Retry-After", "5");
            Problem.of(503, "overloaded", "Overloaded", "Too many audit reads are running; retry shortly.").send(ctx);
          } else {
            ctx.fail(e);
          }
        });
  }

  private static Instant time(RoutingContext ctx, String name, Instant fallback) {
    String raw = ctx.queryParams().get(name);
    if (raw == null) {
      return fallback;
    }
    try {
      return Instant.parse(raw);
    } catch (DateTimeParseException e) {
      throw new ProblemException(Problem.of(400, "invalid-request", "Invalid request",
          name + " must be an RFC 3339 timestamp, e.g. 2024-05-01T00:00:00Z."));
    }
  }

  private static int limit(RoutingContext ctx) {
    String raw = ctx.queryParams().get("limit");
    if (raw == null) {
      return 100;
    }
    try {
      int n = Integer.parseInt(raw);
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through to the problem
    }
    throw new ProblemException(Problem.of(400, "invalid-request", "Invalid request",
        "limit must be a whole number from 1 to " + MAX_LIMIT + "."));
  }
}
