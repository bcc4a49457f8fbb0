package org.bulletin.feed.portal;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Portal links and sessions, both stateless signed tokens (see {@link SignedTokens}), so a link
 * made by one instance opens on any other and a session started on one is honoured by all.
 *
 * <ul>
 *   <li>A <b>link</b> names a partner and expires after {@code portal.link.lifetime}. It may be
 *       opened more than once until then: refusing a second use would need state shared by every
 *       instance, and mail scanners that open links would use up one-time links anyway.
 *   <li>A <b>session</b> is a cookie ({@code HttpOnly}, {@code SameSite=Strict}, {@code Path=/portal},
 *       {@code Secure} over https) with the partner id, a random session id and an absolute expiry.
 *       Logging out removes the cookie from the browser; a copied cookie stays valid until it
 *       expires, or until the partner is disabled or deleted (checked on every request).
 *   <li>The <b>CSRF token</b> of a session is an HMAC of its session id: a synchronizer token every
 *       instance can check without storing it.
 * </ul>
 * Thread-safe.
 */
public final class PortalSessions {
  public static final String COOKIE = "bulletin_portal";
  static final String LINK = "portal-link";
  static final String SESSION = "portal-session";
  static final String CSRF = "portal-csrf";

  /** An open session. */
  /** @param issuedAt when the session started (its expiry less the configured lifetime) */
  public record Session(String partnerId, String sessionId, Instant expiresAt, Instant issuedAt) {}

  /** What a valid link names: the partner, and when the link was made. */
  public record LinkClaim(String partnerId, Instant issuedAt) {}

  private final SignedTokens tokens;
  private final PortalSettings settings;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public PortalSessions(PortalSettings settings, Clock clock) {
    this.tokens = new SignedTokens(settings.keys());
    this.settings = settings;
    this.clock = clock;
  }

  /** A link to the portal for {@code partnerId}, with its expiry. */
  public Link link(String partnerId) {
    Instant expires = clock.instant().plus(settings.linkLifetime());
    String token = tokens.sign(LINK, partnerId, nonce(), expires);
    return new Link(settings.baseUrl() + "/portal/login?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8),
        expires);
  }

  /** A portal link and when it stops opening. */
  public record Link(String url, Instant expiresAt) {}

  /** The partner a valid, unexpired link token names, and when the link was made. */
  public Optional<LinkClaim> linkClaim(String token) {
    return tokens.verify(LINK, token, clock.instant())
        .map(c -> new LinkClaim(c.subject(), c.expiresAt().minus(settings.linkLifetime())));
  }

  /** Starts a session for the partner: sets its cookie on the response. */
  public Session start(RoutingContext ctx, String partnerId) {
    Instant expires = clock.instant().plus(settings.sessionLifetime());
    Session session = new Session(partnerId, nonce(), expires, clock.instant());
    ctx.response().addCookie(cookie(tokens.sign(SESSION, partnerId, session.sessionId(), expires),
        settings.sessionLifetime(), secure(ctx)));
    return session;
  }

  /** The request's session, if its cookie is valid and unexpired. */
  public Optional<Session> current(RoutingContext ctx) {
    Cookie c = ctx.request().getCookie(COOKIE);
    if (c == null) {
      return Optional.empty();
    }
    return tokens.verify(SESSION, c.getValue(), clock.instant())
        .map(claims -> new Session(claims.subject(), claims.nonce(), claims.expiresAt(),
            claims.expiresAt().minus(settings.sessionLifetime())));
  }

  /** Removes the session cookie from the browser. */
  public void end(RoutingContext ctx) {
    ctx.response().addCookie(cookie("", Duration.ZERO, secure(ctx)));
  }

  public String csrfToken(Session s) {
    return tokens.derive(CSRF, s.sessionId());
  }

  public boolean csrfValid(Session s, String presented) {
    return tokens.matches(CSRF, s.sessionId(), presented);
  }

  private boolean secure(RoutingContext ctx) {
    return settings.secureCookies() || ctx.request().isSSL();
  }

  private static Cookie cookie(String value, Duration maxAge, boolean secure) {
    return Cookie.cookie(COOKIE, value).setPath("/portal").setHttpOnly(true).setSecure(secure)
        .setSameSite(CookieSameSite.STRICT).setMaxAge(maxAge.toSeconds());
  }

  private String nonce() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
