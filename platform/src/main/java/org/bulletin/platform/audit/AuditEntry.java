package org.bulletin.platform.audit;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.bulletin.platform.auth.Actor;

/**
 * One action in the audit topic: who (principal kind, key id, partner), what (action and target),
 * when, and from where (remote address). Never a key or a secret.
 *
 * @param partnerId the partner the action concerns (the actor's, or the partner acted on), or null
 * @param target the id of what was acted on (subscription, partner, key), or null
 * @param outcome {@code ok}, or the problem code the action ended with
 */
public record AuditEntry(Instant at, String kind, String keyId, String partnerId, String from, String action,
    String target, String outcome) {

  public static AuditEntry of(Actor actor, Instant at, String action, String target, String partnerId,
      String outcome) {
    String partner = partnerId != null ? partnerId : actor.principal().partnerId();
    return new AuditEntry(at, actor.principal().kind().wireName(), actor.principal().keyId(), partner, actor.from(),
        action, target, outcome);
  }

  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("at", at.toString()).put("kind", kind).put("keyId", keyId)
        .put("from", from).put("action", action).put("outcome", outcome);
    if (partnerId != null) {
      j.put("partnerId", partnerId);
    }
    if (target != null) {
      j.put("target", target);
    }
    return j;
  }

  public byte[] encode() {
    return toJson().toBuffer().getBytes();
  }

  public static AuditEntry decode(byte[] bytes) {
    JsonObject j = new JsonObject(Buffer.buffer(bytes));
    return new AuditEntry(Instant.parse(j.getString("at")), j.getString("kind"), j.getString("keyId"),
        j.getString("partnerId"), j.getString("from"), j.getString("action"), j.getString("target"),
        j.getString("outcome"));
  }
}
