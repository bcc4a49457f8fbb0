package org.bulletin.feed.partners;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.bulletin.platform.auth.ApiKey;
import org.bulletin.platform.auth.Partner;
import org.bulletin.platform.http.Problem;
import org.bulletin.platform.http.ProblemException;
import org.bulletin.schema.Violation;

/** The JSON of partners and keys in the API (never a key's digest), and the request bodies. */
final class PartnerJson {
  private static final int NAME_MAX = 200;

  private PartnerJson() {}

  static JsonObject partner(Partner p) {
    return new JsonObject().put("id", p.id()).put("name", p.name()).put("enabled", p.enabled())
        .put("createdAt", p.createdAt().toString()).put("updatedAt", p.updatedAt().toString());
  }

  static JsonObject key(ApiKey k) {
    JsonObject j = new JsonObject().put("id", k.id()).put("kind", k.kind().wireName())
        .put("createdAt", k.createdAt().toString()).put("revoked", k.revoked());
    if (k.partnerId() != null) {
      j.put("partnerId", k.partnerId());
    }
    if (k.revokedAt() != null) {
      j.put("revokedAt", k.revokedAt().toString());
    }
    return j;
  }

  /** A key just issued: its view plus the key itself, shown this once. */
  static JsonObject issued(ApiKey.Issued issued) {
    return key(issued.key()).put("apiKey", issued.secret());
  }

  /** The body as a JSON object with only {@code allowed} fields, else a 400 problem. */
  static JsonObject body(RoutingContext ctx, List<String> allowed) {
    JsonObject body;
    try {
      body = ctx.body().length() == 0 ? null : ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    if (body == null) {
      throw new ProblemException(Problem.of(400, "malformed-json", "Malformed JSON", "The body must be a JSON object."));
    }
    for (String field : body.fieldNames()) {
      if (!allowed.contains(field)) {
        throw invalid("/" + field, "unknown field");
      }
    }
    return body;
  }

  /** A partner's name: 1 to 200 characters, no control characters. */
  static String name(JsonObject body, boolean required) {
    Object v = body.getValue("name");
    if (v == null && !required) {
      return null;
    }
    if (!(v instanceof String s) || s.isBlank() || s.length() > NAME_MAX
        || s.codePoints().anyMatch(Character::isISOControl)) {
      throw invalid("/name", "a name of 1 to " + NAME_MAX + " characters without control characters");
    }
    return s.strip();
  }

  static ProblemException invalid(String pointer, String message) {
    return new ProblemException(new Problem(400, "invalid-request", "Invalid request", "The request has 1 error.",
        List.of(new Violation(pointer, message))));
  }
}
