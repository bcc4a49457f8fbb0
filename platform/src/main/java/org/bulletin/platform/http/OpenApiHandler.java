package org.bulletin.platform.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Serves a service's OpenAPI document from the classpath; read once. */
public final class OpenApiHandler implements Handler<RoutingContext> {
  private final Buffer document;

  public OpenApiHandler(String resource) {
    try (InputStream in = OpenApiHandler.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("OpenAPI document missing: " + resource);
      }
      document = Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs on the request's event-loop thread. */
  @Override
  public void handle(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/yaml; charset=utf-8")
        .putHeader("Cache-Control", "max-age=300")
        .end(document);
  }
}
