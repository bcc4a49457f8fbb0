package org.bulletin.platform.auth;

import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/**
 * Who made a request, as the auth handler established it; handlers read it with {@link #of}.
 *
 * @param kind admin (a token of {@code api.tokens}), publisher or partner key
 * @param keyId names the credential without revealing it: {@code token-N} for the N-th admin token,
 *     the key's id otherwise (audit records and rate limits use it)
 * @param partnerId the partner a partner key belongs to; {@code null} for the other kinds
 */
public record Principal(Kind kind, String keyId, String partnerId) {
  /** Where the auth handler puts the principal in the routing context. */
  public static final String CONTEXT_KEY = "bulletin.principal";

  /** The kinds of credentials. */
  public enum Kind {
    ADMIN, PUBLISHER, PARTNER;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Principal {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(keyId, "keyId");
    if ((kind == Kind.PARTNER) != (partnerId != null)) {
      throw new IllegalArgumentException("a partner principal, and only one, has a partnerId");
    }
  }

  public static Principal admin(String keyId) {
    return new Principal(Kind.ADMIN, keyId, null);
  }

  public static Principal publisher(String keyId) {
    return new Principal(Kind.PUBLISHER, keyId, null);
  }

  public static Principal partner(String keyId, String partnerId) {
    return new Principal(Kind.PARTNER, keyId, partnerId);
  }

  /** The principal of an authenticated request; fails if no auth handler ran before. */
  public static Principal of(RoutingContext ctx) {
    Principal p = ctx.get(CONTEXT_KEY);
    if (p == null) {
      throw new IllegalStateException("no principal: the route lacks the auth handler");
    }
    return p;
  }

  public boolean isAdmin() {
    return kind == Kind.ADMIN;
  }

  /**
   * Whether this principal may see and manage something owned by {@code ownerPartnerId}
   * ({@code null}: owned by no partner). Admins see everything; a partner only its own; a
   * publisher nothing.
   */
  public boolean owns(String ownerPartnerId) {
    return switch (kind) {
      case ADMIN -> true;
      case PARTNER -> partnerId.equals(ownerPartnerId);
      case PUBLISHER -> false;
    };
  }
}
