package org.bulletin.producer.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Serves the ingest API's OpenAPI document from the classpath; read once. */
public final class OpenApiHandler implements Handler<RoutingContext> {
  public static final String RESOURCE = "/openapi/bulletin-ingest.yaml";
  private final Buffer document;

  public OpenApiHandler() {
    try (InputStream in = OpenApiHandler.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("OpenAPI document missing: " + RESOURCE);
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
