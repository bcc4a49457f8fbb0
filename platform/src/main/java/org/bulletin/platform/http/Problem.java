package org.bulletin.platform.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.bulletin.schema.Violation;

/**
 * An RFC 9457 problem detail. {@code code} is stable and machine-readable; {@code type} is derived
 * from it. {@code errors} lists JSON pointers and messages for validation failures.
 */
public record Problem(int status, String code, String title, String detail, List<Violation> errors) {
  public static final String MEDIA_TYPE = "application/problem+json";
  private static final String TYPE_BASE = "https://bulletin.dev/problems/";

  public Problem {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  public static Problem of(int status, String code, String title, String detail) {
    return new Problem(status, code, title, detail, List.of());
  }

  public JsonObject toJson(String instance) {
    JsonObject json = new JsonObject()
        .put("type", TYPE_BASE + code)
        .put("title", title)
        .put("status", status)
        .put("code", code);
    if (detail != null) {
      json.put("detail", detail);
    }
    if (instance != null) {
      json.put("instance", instance);
    }
    if (!errors.isEmpty()) {
      JsonArray list = new JsonArray();
      errors.forEach(v -> list.add(new JsonObject().put("pointer", v.pointer()).put("detail", v.message())));
      json.put("errors", list);
    }
    return json;
  }

  /** Ends the request with this problem; runs on the request's event-loop thread. */
  public void send(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      response.reset();
      return;
    }
    response.setStatusCode(status)
        .putHeader("Content-Type", MEDIA_TYPE)
        .putHeader("Cache-Control", "no-store")
        .end(toJson(ctx.request().path()).encode());
  }
}
