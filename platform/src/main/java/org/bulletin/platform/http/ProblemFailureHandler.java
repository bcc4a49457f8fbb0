package org.bulletin.platform.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failed request into problem+json: {@link ProblemException}s as they are, router
 * statuses (404, 405, 413…) into their problems, anything else into a 500 whose body says only an
 * error id; the cause is logged with that id, never sent.
 */
public final class ProblemFailureHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemFailureHandler.class);

  /**
   * Makes {@code router} answer every failure and every unmatched request (404, 405) with
   * problem+json.
   */
  public static void install(io.vertx.ext.web.Router router) {
    ProblemFailureHandler handler = new ProblemFailureHandler(router);
    router.route().failureHandler(handler);
    for (int status : new int[] {400, 404, 405, 406, 413, 415, 500}) {
      router.errorHandler(status, handler);
    }
  }

  private final io.vertx.ext.web.Router router;

  private ProblemFailureHandler(io.vertx.ext.web.Router router) {
    this.router = router;
  }

  /** Runs on the request's event-loop thread. */
  @Override
  public void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ProblemException pe) {
      pe.problem().send(ctx);
      return;
    }
    int status = failure instanceof HttpException he ? he.getStatusCode() : ctx.statusCode();
    Problem problem = switch (status) {
      case 400 -> Problem.of(400, "bad-request", "Bad request", "The request could not be read.");
      case 401 -> Problem.of(401, "unauthorized", "Unauthorized", "A valid bearer token is required.");
      case 404 -> Problem.of(404, "not-found", "Not found", "No resource at " + ctx.request().path() + ".");
      case 405 -> {
        String allow = AllowedMethods.at(router, ctx.normalizedPath());
        if (!allow.isEmpty()) {
          ctx.response().putHeader("Allow", allow);
        }
        yield Problem.of(405, "method-not-allowed", "Method not allowed",
          ctx.request().method() + " is not allowed on " + ctx.request().path()
              + (allow.isEmpty() ? "." : "; allowed: " + allow + "."));
      }
      case 413 -> Problem.of(413, "payload-too-large", "Payload too large",
          "The request body exceeds the configured limit.");
      case 415 -> Problem.of(415, "unsupported-media-type", "Unsupported media type",
          "Send application/json or text/plain.");
      case 503 -> Problem.of(503, "unavailable", "Service unavailable", "Try again later.");
      default -> null;
    };
    if (problem == null || status >= 500 && status != 503) {
      String errorId = UUID.randomUUID().toString();
      LOG.error("Request {} {} failed (error id {})", ctx.request().method(), ctx.request().path(), errorId, failure);
      problem = Problem.of(500, "internal-error", "Internal server error",
          "The server could not complete the request. Error id " + errorId + ".");
    }
    problem.send(ctx);
  }
}
