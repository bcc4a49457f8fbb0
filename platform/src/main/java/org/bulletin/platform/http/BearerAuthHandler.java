package org.bulletin.platform.http;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SecurityPolicyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Requires {@code Authorization: Bearer <token>} with one of the configured tokens. Tokens are
 * compared as SHA-256 digests with {@link MessageDigest#isEqual}, against every configured token,
 * so neither the content nor the length of a token leaks through timing.
 *
 * <p>Declared a security-policy handler so the router runs it before the body handler: a request
 * without a valid token is refused before its body is read.
 */
public final class BearerAuthHandler implements SecurityPolicyHandler {
  private final List<byte[]> digests;

  public BearerAuthHandler(List<String> tokens) {
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException("at least one API token must be configured");
    }
    this.digests = tokens.stream().map(BearerAuthHandler::sha256).toList();
  }

  /** Runs on the request's event-loop thread. */
  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      reject(ctx, "Send Authorization: Bearer <token>.");
      return;
    }
    byte[] presented = sha256(header.substring(7).trim());
    boolean ok = false;
    for (byte[] digest : digests) {
      ok |= MessageDigest.isEqual(digest, presented);
    }
    if (ok) {
      ctx.next();
    } else {
      reject(ctx, "The bearer token is not valid.");
    }
  }

  private static void reject(RoutingContext ctx, String detail) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"bulletin\"");
    Problem.of(401, "unauthorized", "Unauthorized", detail).send(ctx);
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
