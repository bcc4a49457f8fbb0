package org.bulletin.producer.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.bulletin.platform.http.Problem;

/**
 * The 413 of the ingest API, stating the limit and the setting that changes it; any other
 * failure goes on to the general problem handler. Runs on the request's event-loop thread.
 */
public final class BodyTooLarge implements Handler<RoutingContext> {
  private final long limitBytes;

  public BodyTooLarge(long limitBytes) {
    this.limitBytes = limitBytes;
  }

  @Override
  public void handle(RoutingContext ctx) {
    int status = ctx.failure() instanceof HttpException he ? he.getStatusCode() : ctx.statusCode();
    if (status != 413) {
      ctx.next();
      return;
    }
    Problem.of(413, "payload-too-large", "Payload too large", "The request body exceeds the limit of " + limitBytes
        + " bytes; the operator sets it with BULLETIN_PRODUCER_BODY_LIMIT_BYTES (producer.body.limit.bytes).")
        .send(ctx);
  }
}
