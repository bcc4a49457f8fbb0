package org.bulletin.feed.portal;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import org.bulletin.platform.auth.RateLimiter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bulletin.feed.webhook.Attempt;
import org.bulletin.feed.webhook.Subscription;
import org.bulletin.platform.exec.OverloadedException;
import org.bulletin.platform.http.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partner portal under {@code /portal}: server-rendered pages and plain HTML forms (POST, then
 * a redirect), usable without JavaScript. Every page acts for the partner of the session only;
 * an endpoint of anyone else is 404, like one that does not exist. Every POST but the login
 * carries the session's CSRF token, and a POST from another site is refused by its
 * {@code Origin}/{@code Sec-Fetch-Site}. Callbacks run on the request's event-loop thread.
 */
public final class PortalHandler {
  private static final Logger LOG = LoggerFactory.getLogger(PortalHandler.class);
  /** The portal's own CSP: the served style sheet, forms posting to this origin, nothing else. */
  public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; "
      + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  private static final String HTML = "text/html; charset=utf-8";
  private static final int FORM_LIMIT_BYTES = 16 * 1024;
  private static final int ATTEMPTS_SHOWN = 100;
  private static final Set<String> STATES = Set.of("all", "enabled", "failing", "disabled");
  private static final String SESSION_KEY = "portal.session";
  private static final String PARTNER_KEY = "portal.partner";

  private final PortalSessions sessions;
  private final PortalBackend backend;
  private final PortalSettings settings;
  private final Clock clock;
  private final PortalPages pages = new PortalPages();
  private final Buffer css;

  /** @param limiter the API's rate limiter; portal actions take from the partner's own bucket */
  public PortalHandler(PortalSessions sessions, PortalBackend backend, PortalSettings settings, Clock clock,
      RateLimiter limiter) {
    this.limiter = limiter;
    this.sessions = sessions;
    this.backend = backend;
    this.settings = settings;
    this.clock = clock;
    try (InputStream in = PortalHandler.class.getResourceAsStream("portal.css")) {
      this.css = Buffer.buffer(in.readAllBytes());
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("portal.css is missing from the classpath", e);
    }
  }

  private final RateLimiter limiter;

  public void mount(Router router) {
    router.route("/portal*").handler(this::headers);
    router.get("/portal/assets/portal.css").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/css; charset=utf-8")
        .putHeader("Cache-Control", "public, max-age=3600").end(css));
    BodyHandler body = BodyHandler.create(false).setBodyLimit(FORM_LIMIT_BYTES);
    router.route("/portal*").method(HttpMethod.POST).handler(body).handler(this::sameOrigin);
    router.get("/portal/login").handler(this::loginPage);
    router.post("/portal/login").handler(this::login);
    // Everything below needs a session; POSTs also its CSRF token.
    router.route("/portal*").handler(this::session);
    router.post("/portal/logout").handler(this::logout);
    router.get("/portal").handler(this::home);
    router.post("/portal/endpoints").handler(this::create);
    router.get("/portal/endpoints/:id").handler(this::endpoint);
    router.get("/portal/endpoints/:id/delete").handler(this::confirmDelete);
    router.post("/portal/endpoints/:id/delete").handler(ctx -> act(ctx, s -> backend.delete(caller(ctx), s).map(v -> "/portal?done=deleted")));
    router.post("/portal/endpoints/:id/enable").handler(ctx -> act(ctx, s -> backend.setEnabled(caller(ctx), s, true)
        .map(u -> here(u, "enabled"))));
    router.post("/portal/endpoints/:id/disable").handler(ctx -> act(ctx, s -> backend.setEnabled(caller(ctx), s, false)
        .map(u -> here(u, "disabled"))));
    router.post("/portal/endpoints/:id/test").handler(this::test);
    router.post("/portal/endpoints/:id/resend").handler(this::resend);
    router.post("/portal/endpoints/:id/replay").handler(this::replay);
    router.post("/portal/endpoints/:id/rotate-secret").handler(this::rotate);
    router.route("/portal*").handler(ctx -> notFound(ctx));
    router.route("/portal*").failureHandler(this::failure);
  }

  private void headers(RoutingContext ctx) {
    ctx.response().headers()
        .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .set("Referrer-Policy", "same-origin") // links carry tokens; no-referrer would make form posts Origin: null
        .set("Cache-Control", "no-store");
    ctx.next();
  }

  /** Refuses a POST another site makes a browser send (defence in depth beside the CSRF token). */
  private void sameOrigin(RoutingContext ctx) {
    String site = ctx.request().getHeader("Sec-Fetch-Site");
    String origin = ctx.request().getHeader("Origin");
    boolean crossSite = site != null && !site.equals("same-origin") && !site.equals("none");
    boolean foreignOrigin = origin != null && !origin.equals(ownOrigin(ctx)) && !origin.equals(baseOrigin());
    if (crossSite || foreignOrigin) {
      page(ctx, 403, pages.message("Refused", "Request refused",
          "This form was sent from another site. Open the portal and try again.", null, null));
      return;
    }
    ctx.next();
  }

  private String ownOrigin(RoutingContext ctx) {
    return (ctx.request().isSSL() ? "https://" : "http://") + ctx.request().authority();
  }

  private String baseOrigin() {
    java.net.URI uri = java.net.URI.create(settings.baseUrl());
    return uri.getScheme() + "://" + uri.getRawAuthority();
  }

  private void loginPage(RoutingContext ctx) {
    String token = ctx.queryParams().get("token");
    Optional<PortalPartner> partner = sessions.linkClaim(token).flatMap(this::partnerOf);
    if (partner.isEmpty()) {
      expiredLink(ctx);
      return;
    }
    page(ctx, 200, pages.render("login.jte", Map.of("partnerName", partner.get().name(), "token", token)));
  }

  private void login(RoutingContext ctx) {
    Optional<PortalPartner> partner = sessions.linkClaim(ctx.request().getFormAttribute("token"))
        .flatMap(this::partnerOf);
    if (partner.isEmpty()) {
      expiredLink(ctx);
      return;
    }
    PortalSessions.Session session = sessions.start(ctx, partner.get().id());
    backend.opened(new PortalCaller(session.partnerId(), session.sessionId(), remote(ctx)));
    redirect(ctx, "/portal");
  }

  private Optional<PortalPartner> partnerOf(PortalSessions.LinkClaim link) {
    return backend.partner(link.partnerId()).filter(p -> p.admits(link.issuedAt()));
  }

  private void expiredLink(RoutingContext ctx) {
    page(ctx, 401, pages.message("Link not valid", "This link cannot be opened",
        "The portal link has expired or is not valid. Ask your Bulletin operator for a new one.", null, null));
  }

  private void session(RoutingContext ctx) {
    Optional<PortalSessions.Session> session = sessions.current(ctx);
    Optional<PortalPartner> partner = session.flatMap(
        s -> backend.partner(s.partnerId()).filter(p -> p.admits(s.issuedAt())));
    if (partner.isEmpty()) {
      if (session.isPresent() || ctx.request().getCookie(PortalSessions.COOKIE) != null) {
        sessions.end(ctx);
      }
      page(ctx, 401, pages.message("Signed out", "You are not signed in",
          "Your portal session has ended or was never started. Open the portal with a link from your Bulletin"
              + " operator.", null, null));
      return;
    }
    if (ctx.request().method() == HttpMethod.POST
        && !sessions.csrfValid(session.get(), ctx.request().getFormAttribute("csrf"))) {
      page(ctx, 403, pages.message("Refused", "Request refused",
          "The form was out of date or did not come from this portal. Reload the page and try again.",
          partner.get(), sessions.csrfToken(session.get())));
      return;
    }
    ctx.put(SESSION_KEY, session.get());
    ctx.put(PARTNER_KEY, partner.get());
    if (ctx.request().method() == HttpMethod.POST) {
      // Keyed by partner, not session: opening more portal links gives no more actions.
      long wait = limiter.acquire("portal:" + partner.get().id(), System.nanoTime());
      if (wait > 0) {
        ctx.response().putHeader("Retry-After", Long.toString(wait));
        page(ctx, 429, pages.message("Too many requests", "Too many requests",
            "Too many actions in a short time; try again in " + wait + " s.", partner.get(),
            sessions.csrfToken(session.get())));
        return;
      }
    }
    ctx.next();
  }

  private void logout(RoutingContext ctx) {
    sessions.end(ctx);
    page(ctx, 200, pages.message("Signed out", "You are signed out",
        "Your portal session has ended in this browser. Open a new portal link to come back.", null, null));
  }

  private void home(RoutingContext ctx) {
    String state = ctx.queryParams().get("state");
    state = state != null && STATES.contains(state) ? state : "all";
    page(ctx, 200, homePage(ctx, state, notice(ctx), null, EndpointForm.empty()));
  }

  private String homePage(RoutingContext ctx, String state, String notice, String error, EndpointForm form) {
    PortalPartner partner = partner(ctx);
    Instant now = clock.instant();
    List<EndpointRow> rows = new ArrayList<>();
    List<Subscription> all = backend.subscriptions(caller(ctx));
    for (Subscription s : all) {
      EndpointRow row = row(ctx, s, now);
      if (state.equals("all") || row.state().equals(state)) {
        rows.add(row);
      }
    }
    return pages.render("home.jte", new HomeView(partner, csrf(ctx), notice, error, rows, all.size(), state, form));
  }

  private EndpointRow row(RoutingContext ctx, Subscription s, Instant now) {
    return new EndpointRow(s, EndpointStats.of(backend.attempts(caller(ctx), s, Integer.MAX_VALUE), now));
  }

  private void create(RoutingContext ctx) {
    var form = ctx.request().formAttributes();
    EndpointForm typed = new EndpointForm(trim(form.get("url")), trim(form.get("description")),
        form.getAll("types").stream().filter(EndpointForm.TYPES::contains).distinct().toList(),
        trim(form.get("districts")), trim(form.get("tags")));
    JsonObject request = new JsonObject().put("url", typed.url())
        .put("filters", new JsonObject().put("types", new JsonArray(typed.types()))
            .put("districts", new JsonArray(list(typed.districts()))).put("tags", new JsonArray(list(typed.tags()))));
    if (!typed.description().isEmpty()) {
      request.put("description", typed.description());
    }
    if (typed.url().isEmpty()) {
      page(ctx, 400, homePage(ctx, "all", null, "Enter the endpoint's URL.", typed));
      return;
    }
    backend.create(caller(ctx), request)
        .onSuccess(s -> page(ctx, 201, pages.render("secret.jte", new SecretView(partner(ctx), csrf(ctx),
            "Endpoint added", s.id(), s.url(), s.activeSecrets(clock.instant()).get(0),
            "The endpoint is added and receives the next matching events. Its signing secret:"))))
        .onFailure(e -> {
          if (e instanceof ProblemException pe && pe.problem().status() < 500 && pe.problem().status() != 404) {
            // A full partner (409 subscription-limit) stays a 409; every other refusal is the form's fault.
            page(ctx, pe.problem().status() == 409 ? 409 : 400, homePage(ctx, "all", null, explain(pe.problem()), typed));
          } else {
            ctx.fail(e);
          }
        });
  }

  /** A refused request in words: the detail, and each failing field. */
  private static String explain(org.bulletin.platform.http.Problem p) {
    StringBuilder sb = new StringBuilder(p.detail() == null ? p.title() : p.detail());
    p.errors().forEach(v -> sb.append(' ').append(v.pointer().replaceFirst("^/", "").replace('/', ' '))
        .append(": ").append(v.message()).append('.'));
    return sb.toString();
  }

  private void endpoint(RoutingContext ctx) {
    Subscription s = owned(ctx);
    String outcome = ctx.queryParams().get("outcome");
    outcome = outcome != null && EndpointView.OUTCOMES.contains(outcome) ? outcome : "all";
    page(ctx, 200, endpointPage(ctx, s, outcome, notice(ctx), null, null, null));
  }

  private String endpointPage(RoutingContext ctx, Subscription s, String outcome, String notice, String error,
      String since, String until) {
    Instant now = clock.instant();
    List<Attempt> all = backend.attempts(caller(ctx), s, Integer.MAX_VALUE);
    List<Attempt> shown = all.stream().filter(a -> outcome.equals("all") || outcome.equals(a.outcome()))
        .limit(ATTEMPTS_SHOWN).toList();
    return pages.render("endpoint.jte", new EndpointView(partner(ctx), csrf(ctx), notice, error,
        new EndpointRow(s, EndpointStats.of(all, now)), shown, outcome,
        since != null ? since : Moments.input(now.minus(Duration.ofDays(1))),
        until != null ? until : Moments.input(now.plus(Duration.ofMinutes(1)))));
  }

  private void confirmDelete(RoutingContext ctx) {
    Subscription s = owned(ctx);
    page(ctx, 200, pages.render("delete.jte", Map.of("partner", partner(ctx), "csrf", csrf(ctx),
        "row", row(ctx, s, clock.instant()))));
  }

  private void resend(RoutingContext ctx) {
    Subscription s = owned(ctx);
    String eventId = trim(ctx.request().getFormAttribute("eventId"));
    if (eventId.isEmpty() || backend.attempts(caller(ctx), s, Integer.MAX_VALUE).stream()
        .noneMatch(a -> a.eventId().equals(eventId) && EndpointView.resendable(a))) {
      page(ctx, 400, endpointPage(ctx, s, "all", null, "That event is not in this endpoint's attempt log.", null, null));
      return;
    }
    backend.resend(caller(ctx), s, eventId).onSuccess(v -> redirect(ctx, here(s, "resent"))).onFailure(e -> {
      if (e instanceof ProblemException pe && pe.problem().status() < 500) {
        page(ctx, pe.problem().status(), endpointPage(ctx, s, "all", null, pe.problem().detail(), null, null));
      } else {
        ctx.fail(e);
      }
    });
  }

  private void test(RoutingContext ctx) {
    Subscription s = owned(ctx);
    if (!s.enabled()) {
      page(ctx, 409, endpointPage(ctx, s, "all", null, "The endpoint is disabled: enable it before sending a test event.",
          null, null));
      return;
    }
    backend.sendTest(caller(ctx), s).onSuccess(id -> redirect(ctx, here(s, "test-sent"))).onFailure(ctx::fail);
  }

  private void replay(RoutingContext ctx) {
    Subscription s = owned(ctx);
    String sinceText = trim(ctx.request().getFormAttribute("since"));
    String untilText = trim(ctx.request().getFormAttribute("until"));
    Instant since;
    Instant until;
    try {
      since = Moments.parse(sinceText);
      until = Moments.parse(untilText);
    } catch (java.time.DateTimeException e) {
      page(ctx, 400, endpointPage(ctx, s, "all", null, "Enter both times of the range, e.g. 2024-05-01T00:00.",
          sinceText, untilText));
      return;
    }
    if (until.isBefore(since)) {
      page(ctx, 400, endpointPage(ctx, s, "all", null, "The end of the range is before its start.", sinceText,
          untilText));
      return;
    }
    backend.replay(caller(ctx), s, since, until).onSuccess(n -> redirect(ctx, here(s, "replayed") + "&events=" + n))
        .onFailure(ctx::fail);
  }

  private void rotate(RoutingContext ctx) {
    Subscription s = owned(ctx);
    backend.rotateSecret(caller(ctx), s).onSuccess(u -> page(ctx, 200, pages.render("secret.jte", new SecretView(partner(ctx),
        csrf(ctx), "Signing secret rotated", u.id(), u.url(), u.activeSecrets(clock.instant()).get(0),
        "A new secret signs from now on. The previous one keeps signing beside it for the grace period, so"
            + " your receiver can switch without losing a delivery. The new secret:"))))
        .onFailure(ctx::fail);
  }

  /** Runs an action on the session's endpoint named in the path, then redirects where it says. */
  private void act(RoutingContext ctx, java.util.function.Function<Subscription, Future<String>> action) {
    Subscription s = owned(ctx);
    action.apply(s).onSuccess(to -> redirect(ctx, to)).onFailure(ctx::fail);
  }

  private static String here(Subscription s, String done) {
    return "/portal/endpoints/" + s.id() + "?done=" + done;
  }

  /** The notice of a redirect's {@code done} parameter: fixed texts, never echoed input. */
  private static String notice(RoutingContext ctx) {
    String done = ctx.queryParams().get("done");
    if (done == null) {
      return null;
    }
    return switch (done) {
      case "deleted" -> "The endpoint was deleted.";
      case "enabled" -> "The endpoint is enabled: deliveries resume with the next events.";
      case "disabled" -> "The endpoint is disabled: nothing is delivered to it until you enable it.";
      case "test-sent" -> "A test event (webhook.test) is on its way; its attempt appears below within seconds.";
      case "resent" -> "The event is queued again; the new attempt appears below.";
      case "replayed" -> {
        String n = ctx.queryParams().get("events");
        yield n != null && n.matches("\\d{1,9}") ? "Replay queued: " + n + " event" + (n.equals("1") ? "" : "s") + "."
            : "Replay queued.";
      }
      default -> null;
    };
  }

  /** The endpoint named by the path, if it is the session partner's; else 404. */
  private Subscription owned(RoutingContext ctx) {
    return backend.subscription(caller(ctx), ctx.pathParam("id")).orElseThrow(NotYours::new);
  }

  /** An endpoint that does not exist or is not the session partner's: both are 404. */
  private static final class NotYours extends RuntimeException {
    NotYours() {
      super(null, null, false, false);
    }
  }

  private void notFound(RoutingContext ctx) {
    PortalPartner partner = ctx.get(PARTNER_KEY);
    page(ctx, 404, pages.message("Not found", "Not found", "There is nothing at this address in your portal.",
        partner, partner == null ? null : csrf(ctx)));
  }

  private void failure(RoutingContext ctx) {
    Throwable e = ctx.failure();
    if (e instanceof NotYours) {
      notFound(ctx);
      return;
    }
    if (ctx.statusCode() == 413) {
      page(ctx, 413, pages.message("Too large", "Too large", "The form was too large.", null, null));
      return;
    }
    PortalPartner partner = ctx.get(PARTNER_KEY);
    String csrf = partner == null ? null : csrf(ctx);
    if (e instanceof OverloadedException || e instanceof ProblemException pe && pe.problem().status() == 503) {
      ctx.response().putHeader("Retry-After", "5");
      page(ctx, 503, pages.message("Busy", "Busy", "The service is busy; try again in a few seconds.", partner, csrf));
      return;
    }
    if (e instanceof ProblemException pe && pe.problem().status() < 500) {
      page(ctx, pe.problem().status(), pages.message("Refused", pe.problem().title(), pe.problem().detail(), partner,
          csrf));
      return;
    }
    String errorId = java.util.UUID.randomUUID().toString();
    LOG.error("Portal request {} {} failed (error id {})", ctx.request().method(), ctx.request().path(), errorId, e);
    page(ctx, 500, pages.message("Error", "Something went wrong",
        "The request could not be completed. Error id " + errorId + ".", partner, csrf));
  }

  private PortalPartner partner(RoutingContext ctx) {
    return ctx.get(PARTNER_KEY);
  }

  private static PortalCaller caller(RoutingContext ctx) {
    PortalSessions.Session s = ctx.get(SESSION_KEY);
    return new PortalCaller(s.partnerId(), s.sessionId(), remote(ctx));
  }

  private static String remote(RoutingContext ctx) {
    var address = ctx.request().remoteAddress();
    return address == null ? null : address.hostAddress();
  }

  private String csrf(RoutingContext ctx) {
    return sessions.csrfToken(ctx.get(SESSION_KEY));
  }

  private static void page(RoutingContext ctx, int status, String html) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", HTML).end(html);
  }

  private static void redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(303).putHeader("Location", location).end();
  }

  private static String trim(String s) {
    return s == null ? "" : s.trim();
  }

  private static List<String> list(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(x -> !x.isEmpty()).distinct().toList();
  }
}
