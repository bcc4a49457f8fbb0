package org.bulletin.platform.auth;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The records of the credentials topic. Record key {@code partner:<id>} holds a partner,
 * {@code key:<id>} a key (its digest, never the key); a tombstone deletes a partner.
 */
public final class CredentialCodec {
  public static final String PARTNER_PREFIX = "partner:";
  public static final String KEY_PREFIX = "key:";

  private CredentialCodec() {}

  public static String recordKey(Partner p) {
    return PARTNER_PREFIX + p.id();
  }

  public static String recordKey(ApiKey k) {
    return KEY_PREFIX + k.id();
  }

  public static byte[] encode(Partner p) {
    JsonObject json = new JsonObject().put("id", p.id()).put("name", p.name()).put("enabled", p.enabled())
        .put("createdAt", p.createdAt().toString()).put("updatedAt", p.updatedAt().toString());
    if (p.sessionsNotBefore() != null) {
      json.put("sessionsNotBefore", p.sessionsNotBefore().toString());
    }
    return json.toBuffer().getBytes();
  }

  public static byte[] encode(ApiKey k) {
    JsonObject json = new JsonObject().put("id", k.id()).put("kind", k.kind().wireName())
        .put("sha256", k.sha256Hex()).put("createdAt", k.createdAt().toString());
    if (k.partnerId() != null) {
      json.put("partnerId", k.partnerId());
    }
    if (k.revokedAt() != null) {
      json.put("revokedAt", k.revokedAt().toString());
    }
    return json.toBuffer().getBytes();
  }

  public static Partner decodePartner(byte[] bytes) {
    JsonObject j = new JsonObject(Buffer.buffer(bytes));
    String notBefore = j.getString("sessionsNotBefore");
    return new Partner(require(j, "id"), require(j, "name"), j.getBoolean("enabled", true),
        Instant.parse(require(j, "createdAt")), Instant.parse(require(j, "updatedAt")),
        notBefore == null ? null : Instant.parse(notBefore));
  }

  public static ApiKey decodeKey(byte[] bytes) {
    JsonObject j = new JsonObject(Buffer.buffer(bytes));
    String revoked = j.getString("revokedAt");
    ApiKey k = new ApiKey(require(j, "id"), KeyKind.fromWire(require(j, "kind")), j.getString("partnerId"),
        require(j, "sha256"), Instant.parse(require(j, "createdAt")), revoked == null ? null : Instant.parse(revoked));
    if ((k.kind() == KeyKind.PARTNER) != (k.partnerId() != null) || k.sha256Hex().length() != 64) {
      throw new IllegalArgumentException("inconsistent key record " + k.id());
    }
    return k;
  }

  private static String require(JsonObject j, String field) {
    String v = j.getString(field);
    if (v == null) {
      throw new IllegalArgumentException("credential record lacks " + field);
    }
    return v;
  }
}
