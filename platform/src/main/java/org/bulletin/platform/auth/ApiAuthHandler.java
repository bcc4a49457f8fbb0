package org.bulletin.platform.auth;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SecurityPolicyHandler;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bulletin.platform.http.Problem;

/**
 * Authenticates {@code Authorization: Bearer …} as an admin token, a publisher key or a partner
 * key, puts the {@link Principal} in the routing context, refuses kinds the route does not admit
 * (403), and applies the rate limit of the credential (429 with Retry-After).
 *
 * <p>Admin tokens are compared as SHA-256 digests with {@link java.security.MessageDigest#isEqual}
 * against every configured token, so neither content nor length leaks through timing; issued keys
 * are looked up by their digest and compared the same way. An unknown, revoked or disabled key is
 * 401 like a wrong token: nothing says which. Declared a security-policy handler so the router runs
 * it before the body handler: a request without a valid credential is refused before its body is
 * read. Runs on the request's event-loop thread.
 */
public final class ApiAuthHandler implements SecurityPolicyHandler {
  private final List<byte[]> adminDigests;
  private final CredentialStore store;
  private final RateLimiter limiter;
  private final Set<Principal.Kind> allowed;
  private final java.util.function.BooleanSupplier current;

  /**
   * @param current whether the store is being kept current (its reader thread is healthy): while not,
   *     issued keys get 503, as a revocation could be missed; admin tokens still work
   */
  public ApiAuthHandler(List<String> adminTokens, CredentialStore store, RateLimiter limiter,
      Set<Principal.Kind> allowed, java.util.function.BooleanSupplier current) {
    this.current = current;
    if (adminTokens.isEmpty()) {
      throw new IllegalArgumentException("at least one API token must be configured");
    }
    this.adminDigests = adminTokens.stream().map(ApiKey::sha256).toList();
    this.store = store;
    this.limiter = limiter;
    this.allowed = Set.copyOf(allowed);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      unauthorized(ctx, "Send Authorization: Bearer <token>.");
      return;
    }
    String presented = header.substring(7).trim();
    byte[] digest = ApiKey.sha256(presented);
    Principal principal = admin(digest);
    if (principal == null && KeyKind.ofPresented(presented) != null) {
      if (!store.isLoaded()) {
        ctx.response().putHeader("Retry-After", "2");
        Problem.of(503, "credentials-loading", "Service unavailable",
            "The credentials are still being loaded; retry shortly.").send(ctx);
        return;
      }
      if (!current.getAsBoolean()) {
        // Fail closed: a key revoked while the reader is down would otherwise still be accepted.
        ctx.response().putHeader("Retry-After", "5");
        Problem.of(503, "credentials-stale", "Service unavailable",
            "Issued keys cannot be checked right now; retry shortly.").send(ctx);
        return;
      }
      Optional<ApiKey> key = store.valid(digest);
      if (key.isPresent()) {
        ApiKey k = key.get();
        principal = new Principal(k.kind().principalKind(), k.id(), k.partnerId());
      }
    }
    if (principal == null) {
      unauthorized(ctx, "The bearer token is not valid.");
      return;
    }
    long wait = limiter.acquire(principal.keyId(), System.nanoTime());
    if (wait > 0) {
      ctx.response().putHeader("Retry-After", Long.toString(wait));
      Problem.of(429, "rate-limited", "Too many requests",
          "This credential exceeded its rate limit; retry after " + wait + " s.").send(ctx);
      return;
    }
    if (!allowed.contains(principal.kind())) {
      Problem.of(403, "forbidden", "Forbidden",
          "A " + principal.kind().wireName() + " credential may not use this API.").send(ctx);
      return;
    }
    ctx.put(Principal.CONTEXT_KEY, principal);
    ctx.next();
  }

  private Principal admin(byte[] digest) {
    int match = -1;
    for (int i = 0; i < adminDigests.size(); i++) {
      if (java.security.MessageDigest.isEqual(adminDigests.get(i), digest)) {
        match = i;
      }
    }
    return match < 0 ? null : Principal.admin("token-" + (match + 1));
  }

  private static void unauthorized(RoutingContext ctx, String detail) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"bulletin\"");
    Problem.of(401, "unauthorized", "Unauthorized", detail).send(ctx);
  }
}
