package org.bulletin.platform.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

/**
 * A 413 that states the limit and, where one exists, the setting that changes it; any other
 * failure goes on to the next failure handler ({@link ProblemFailureHandler}). Install it before
 * that one. Runs on the request's event-loop thread.
 */
public final class BodyTooLarge implements Handler<RoutingContext> {
  private final String detail;

  /** @param envVar the environment variable that sets the limit, or {@code null} if it is fixed */
  public BodyTooLarge(long limitBytes, String envVar) {
    this.detail = "The request body exceeds the limit of " + limitBytes + " bytes"
        + (envVar == null ? "." : "; the operator sets it with " + envVar + ".");
  }

  @Override
  public void handle(RoutingContext ctx) {
    int status = ctx.failure() instanceof HttpException he ? he.getStatusCode() : ctx.statusCode();
    if (status != 413) {
      ctx.next();
      return;
    }
    Problem.of(413, "payload-too-large", "Payload too large", detail).send(ctx);
  }
}
