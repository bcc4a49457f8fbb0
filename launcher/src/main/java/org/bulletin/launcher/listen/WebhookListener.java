package org.bulletin.launcher.listen;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;

/**
 * The HTTP side of {@code ./bulletin listen}: POSTs on one path are verified and printed as one
 * line each; 204 when verified, 400 for a malformed delivery, 401 when no signature matches, 413
 * beyond the body limit, 404 elsewhere. Handlers run on the server's event-loop thread, and so
 * does {@code print}.
 */
public final class WebhookListener {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
  private static final int TITLE_CHARS = 80;

  private final SignatureVerifier verifier;
  private final String path;
  private final long maxBodyBytes;
  private final Consumer<String> print;
  private final Clock clock;

  public WebhookListener(SignatureVerifier verifier, String path, long maxBodyBytes, Consumer<String> print,
      Clock clock) {
    this.verifier = verifier;
    this.path = path;
    this.maxBodyBytes = maxBodyBytes;
    this.print = print;
    this.clock = clock;
  }

  public Future<HttpServer> listen(Vertx vertx, String host, int port) {
    Router router = Router.router(vertx);
    router.post(path).handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes)).handler(this::receive)
        .failureHandler(this::failed);
    router.route().handler(ctx -> answer(ctx, 404, "nothing here: deliveries are received on POST " + path));
    return vertx.createHttpServer().requestHandler(router).listen(port, host);
  }

  private void receive(RoutingContext ctx) {
    byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    String id = ctx.request().getHeader("webhook-id");
    SignatureVerifier.Result result = verifier.verify(id, ctx.request().getHeader("webhook-timestamp"),
        ctx.request().getHeader("webhook-signature"), body);
    print.accept(line(result, id, body));
    if (result.verified()) {
      ctx.response().setStatusCode(204).end();
    } else {
      answer(ctx, result.malformed() ? 400 : 401, result.reason());
    }
  }

  private void failed(RoutingContext ctx) {
    if (ctx.statusCode() == 413) {
      print.accept(now() + "  REJECTED  body larger than " + maxBodyBytes + " bytes (raise --max-body-bytes)");
      answer(ctx, 413, "the body exceeds " + maxBodyBytes + " bytes");
    } else {
      answer(ctx, ctx.statusCode() > 0 ? ctx.statusCode() : 500, "could not read the delivery");
    }
  }

  /** {@code 12:00:01  verified  report.published  msg_…  <report id>  "<title>"}, or REJECTED with the reason. */
  String line(SignatureVerifier.Result result, String id, byte[] body) {
    StringBuilder line = new StringBuilder(now()).append("  ")
        .append(result.verified() ? "verified" : "REJECTED").append("  ");
    try {
      JsonObject json = new JsonObject(io.vertx.core.buffer.Buffer.buffer(body));
      JsonObject data = json.getValue("data") instanceof JsonObject d ? d : new JsonObject();
      line.append(printable(String.valueOf(json.getValue("type", "(no type)")))).append("  ")
          .append(id == null ? "(no webhook-id)" : printable(id)).append("  ")
          .append(printable(String.valueOf(data.getValue("id", "(no id)"))));
      if (data.getValue("title") instanceof String title) {
        line.append("  \"").append(printable(title)).append('"');
      } else if (data.getValue("reason") instanceof String reason) {
        line.append("  reason: ").append(printable(reason));
      }
    } catch (DecodeException | ClassCastException e) {
      line.append("(the body is not JSON)");
    }
    if (!result.verified()) {
      line.append("  -- ").append(result.reason());
    }
    return line.toString();
  }

  /** Hostile text stays on one line and cannot move the terminal's cursor. */
  private static String printable(String text) {
    String clean = text.replaceAll("\\p{Cntrl}", " ");
    return clean.length() > TITLE_CHARS ? clean.substring(0, TITLE_CHARS) + "…" : clean;
  }

  private String now() {
    return LocalTime.ofInstant(clock.instant(), ZoneId.systemDefault()).format(TIME);
  }

  private static void answer(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(message + "\n");
  }
}
