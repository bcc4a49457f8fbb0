package org.bulletin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.bulletin.testkit.KafkaBroker;
import org.bulletin.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The partner portal over HTTP: links, sessions across instances, tenancy, CSRF. What a partner
 * sees and does in a real browser is {@link PortalBrowserIT}.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PortalIT {

  @Test
  void aLinkMadeOnOneInstanceOpensASessionHonouredByAnother(KafkaBroker broker) {
    try (PortalTestSupport t = new PortalTestSupport(broker.bootstrapServers(), Map.of())) {
      FeedFixture.Feed a = t.fixture.startFeed();
      FeedFixture.Feed b = t.fixture.startFeed();
      String[] acme = t.createPartner("Acme <News>");
      t.subscribe(a, acme[1], t.receiver(200).url(), "Acme main endpoint");

      JsonObject link = t.portalLink(a, acme[0]);
      assertThat(link.getString("url")).startsWith("http://feeds.test/portal/login?token=");
      assertThat(java.time.Instant.parse(link.getString("expiresAt")))
          .isBetween(java.time.Instant.now().plusSeconds(14 * 60), java.time.Instant.now().plusSeconds(15 * 60 + 5));

      PortalTestSupport.Browser onB = t.new Browser(b);
      HttpResponse<Buffer> confirm = onB.get("/portal/login?token="
          + java.net.URLEncoder.encode(PortalTestSupport.token(link.getString("url")), java.nio.charset.StandardCharsets.UTF_8));
      assertThat(confirm.statusCode()).isEqualTo(200);
      assertThat(confirm.bodyAsString()).contains("Partner portal for Acme &lt;News&gt;");
      assertThat(confirm.getHeader("Content-Security-Policy")).contains("form-action 'self'")
          .contains("style-src 'self'").doesNotContain("unsafe-inline").doesNotContain("script-src");
      assertThat(confirm.getHeader("Referrer-Policy")).isEqualTo("same-origin");
      assertThat(confirm.getHeader("Cache-Control")).isEqualTo("no-store");

      HttpResponse<Buffer> login = onB.open(link.getString("url"));
      assertThat(login.statusCode()).isEqualTo(303);
      assertThat(login.getHeader("Location")).isEqualTo("/portal");
      String setCookie = login.cookies().get(0);
      assertThat(setCookie).startsWith("bulletin_portal=").contains("Path=/portal").containsIgnoringCase("HttpOnly")
          .contains("SameSite=Strict").contains("Max-Age=7200").doesNotContainIgnoringCase("Secure");

      // The session cookie from instance B, presented to instance A.
      PortalTestSupport.Browser onA = t.new Browser(a);
      onA.cookie = onB.cookie;
      HttpResponse<Buffer> home = onA.get("/portal");
      assertThat(home.statusCode()).isEqualTo(200);
      assertThat(home.bodyAsString()).contains("Acme main endpoint").contains("Signed in as <strong");
    }
  }

  @Test
  void onlyAdminsMakeLinksAndOnlyForPartnersThatExist(KafkaBroker broker) {
    try (PortalTestSupport t = new PortalTestSupport(broker.bootstrapServers(), Map.of())) {
      FeedFixture.Feed feed = t.fixture.startFeed();
      String[] acme = t.createPartner("Acme");
      t.portalLink(feed, acme[0]);
      t.awaitKey(feed, acme[1]);
      HttpResponse<Buffer> asPartner = t.call(feed, HttpMethod.POST, "/v1/partners/" + acme[0] + "/portal-link",
          acme[1], null);
      assertThat(asPartner.statusCode()).isEqualTo(403);
      HttpResponse<Buffer> anonymous = t.call(feed, HttpMethod.POST, "/v1/partners/" + acme[0] + "/portal-link",
          null, null);
      assertThat(anonymous.statusCode()).isEqualTo(401);
      HttpResponse<Buffer> unknown = t.call(feed, HttpMethod.POST, "/v1/partners/prt_nope/portal-link",
          FeedFixture.TOKEN, null);
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(unknown.bodyAsJsonObject().getString("code")).isEqualTo("unknown-partner");
    }
  }

  @Test
  void aPartnerNeverSeesOrTouchesAnotherPartnersEndpoints(KafkaBroker broker) {
    try (PortalTestSupport t = new PortalTestSupport(broker.bootstrapServers(), Map.of())) {
      FeedFixture.Feed feed = t.fixture.startFeed();
      String[] acme = t.createPartner("Acme");
      String[] globex = t.createPartner("Globex");
      String acmeSub = t.subscribe(feed, acme[1], t.receiver(200).url(), "Acme endpoint").getString("id");
      String globexSub = t.subscribe(feed, globex[1], t.receiver(200).url(), "Globex endpoint").getString("id");
      String adminSub = t.fixture.api(HttpMethod.POST, "/v1/subscriptions",
          new JsonObject().put("url", t.receiver(200).url()).put("description", "Admin endpoint")).bodyAsJsonObject()
          .getString("id");

      PortalTestSupport.Browser acmeBrowser = t.new Browser(feed);
      acmeBrowser.open(t.portalLink(feed, acme[0]).getString("url"));
      String home = acmeBrowser.get("/portal").bodyAsString();
      assertThat(home).contains("Acme endpoint", acmeSub).doesNotContain("Globex").doesNotContain(globexSub)
          .doesNotContain("Admin endpoint").doesNotContain(adminSub);
      String csrf = acmeBrowser.csrf();

      for (String foreign : new String[] {globexSub, adminSub, "sub_000000000000000000000000", "../" + acmeSub}) {
        assertThat(acmeBrowser.get("/portal/endpoints/" + foreign).statusCode()).as(foreign).isEqualTo(404);
        assertThat(acmeBrowser.get("/portal/endpoints/" + foreign + "/delete").statusCode()).as(foreign)
            .isEqualTo(404);
        for (String action : new String[] {"disable", "delete", "rotate-secret", "test", "resend", "replay"}) {
          HttpResponse<Buffer> r = acmeBrowser.post("/portal/endpoints/" + foreign + "/" + action,
              Map.of("csrf", csrf, "eventId", "evt_x", "since", "2024-01-01T00:00", "until", "2024-01-02T00:00"));
          assertThat(r.statusCode()).as(action + " " + foreign).isEqualTo(404);
        }
      }
      JsonObject globexNow = t.call(feed, HttpMethod.GET, "/v1/subscriptions/" + globexSub, globex[1], null)
          .bodyAsJsonObject();
      assertThat(globexNow.getBoolean("enabled")).isTrue();
      assertThat(t.fixture.api(HttpMethod.GET, "/v1/subscriptions/" + adminSub, null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void everyActionNeedsTheSessionsCsrfTokenAndThisOrigin(KafkaBroker broker) {
    try (PortalTestSupport t = new PortalTestSupport(broker.bootstrapServers(), Map.of())) {
      FeedFixture.Feed feed = t.fixture.startFeed();
      String[] acme = t.createPartner("Acme");
      String sub = t.subscribe(feed, acme[1], t.receiver(200).url(), "Acme endpoint").getString("id");
      PortalTestSupport.Browser first = t.new Browser(feed);
      first.open(t.portalLink(feed, acme[0]).getString("url"));
      PortalTestSupport.Browser second = t.new Browser(feed);
      second.open(t.portalLink(feed, acme[0]).getString("url"));
      String path = "/portal/endpoints/" + sub + "/disable";

      assertThat(first.post(path, Map.of()).statusCode()).as("no token").isEqualTo(403);
      assertThat(first.post(path, Map.of("csrf", second.csrf())).statusCode()).as("another session's token")
          .isEqualTo(403);
      assertThat(first.post(path, Map.of("csrf", first.csrf()), "Origin", "https://evil.example").statusCode())
          .as("from another origin").isEqualTo(403);
      assertThat(first.post(path, Map.of("csrf", first.csrf()), "Sec-Fetch-Site", "cross-site").statusCode())
          .as("from another site").isEqualTo(403);
      assertThat(t.call(feed, HttpMethod.GET, "/v1/subscriptions/" + sub, acme[1], null).bodyAsJsonObject()
          .getBoolean("enabled")).as("nothing refused took effect").isTrue();

      HttpResponse<Buffer> done = first.post(path, Map.of("csrf", first.csrf()), "Origin",
          "http://127.0.0.1:" + feed.verticle.actualPort(), "Sec-Fetch-Site", "same-origin");
      assertThat(done.statusCode()).isEqualTo(303);
      assertThat(done.getHeader("Location")).isEqualTo("/portal/endpoints/" + sub + "?done=disabled");
      assertThat(t.call(feed, HttpMethod.GET, "/v1/subscriptions/" + sub, acme[1], null).bodyAsJsonObject()
          .getBoolean("enabled")).isFalse();
    }
  }

  @Test
  void tamperedLinksAndCookiesLoggingOutAndDisabledPartnersEndTheSession(KafkaBroker broker) {
    try (PortalTestSupport t = new PortalTestSupport(broker.bootstrapServers(), Map.of())) {
      FeedFixture.Feed feed = t.fixture.startFeed();
      String[] acme = t.createPartner("Acme");
      String[] globex = t.createPartner("Globex");
      String url = t.portalLink(feed, acme[0]).getString("url");
      PortalTestSupport.Browser browser = t.new Browser(feed);
      assertThat(browser.get("/portal").statusCode()).as("no session yet").isEqualTo(401);
      String token = PortalTestSupport.token(url);
      String tampered = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");
      assertThat(browser.get("/portal/login?token=" + tampered).statusCode()).isEqualTo(401);
      assertThat(browser.post("/portal/login", Map.of("token", tampered)).statusCode()).isEqualTo(401);
      assertThat(browser.cookie).isNull();

      browser.open(url);
      String good = browser.cookie;
      browser.cookie = good.substring(0, good.length() - 2) + "xx";
      assertThat(browser.get("/portal").statusCode()).as("tampered cookie").isEqualTo(401);
      browser.cookie = good;
      HttpResponse<Buffer> out = browser.post("/portal/logout", Map.of("csrf", browser.csrf()));
      assertThat(out.statusCode()).isEqualTo(200);
      assertThat(out.cookies()).anySatisfy(c -> assertThat(c).startsWith("bulletin_portal=;").contains("Max-Age=0"));
      assertThat(browser.cookie).isNull();
      assertThat(browser.get("/portal").statusCode()).isEqualTo(401);

      PortalTestSupport.Browser globexBrowser = t.new Browser(feed);
      globexBrowser.open(t.portalLink(feed, globex[0]).getString("url"));
      assertThat(globexBrowser.get("/portal").statusCode()).isEqualTo(200);
      org.bulletin.platform.auth.Partner p = new org.bulletin.platform.auth.Partner(globex[0], "Globex", true,
          java.time.Instant.now(), java.time.Instant.now());
      String stolen = globexBrowser.cookie;
      String oldLink = t.portalLink(feed, globex[0]).getString("url");
      t.credentials.setEnabled(p, false).await();
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
      while (globexBrowser.get("/portal").statusCode() != 401) {
        assertThat(System.nanoTime()).as("session ends once the partner is disabled").isLessThan(deadline);
        FeedFixture.sleep(100);
      }

      // Enabling the partner again must not bring back what disabling it ended.
      assertThat(t.fixture.api(HttpMethod.PATCH, "/v1/partners/" + globex[0],
          new io.vertx.core.json.JsonObject().put("enabled", true)).statusCode()).isEqualTo(200);
      PortalTestSupport.Browser fresh = t.new Browser(feed);
      deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
      String newLink = t.portalLink(feed, globex[0]).getString("url");
      while (fresh.get(newLink.substring(newLink.indexOf("/portal"))).statusCode() != 200) {
        assertThat(System.nanoTime()).as("a new link opens once the partner is enabled").isLessThan(deadline);
        FeedFixture.sleep(100);
        newLink = t.portalLink(feed, globex[0]).getString("url");
      }
      fresh.open(newLink);
      assertThat(fresh.get("/portal").statusCode()).as("a session from a new link").isEqualTo(200);
      globexBrowser.cookie = stolen;
      assertThat(globexBrowser.get("/portal").statusCode()).as("a session from before the disable").isEqualTo(401);
      assertThat(t.new Browser(feed).get(oldLink.substring(oldLink.indexOf("/portal"))).statusCode())
          .as("a link from before the disable").isEqualTo(401);
    }
  }

  @Test
  void withoutPortalSecretsTheLinkRouteSaysHowToTurnItOn(KafkaBroker broker) {
    try (PortalTestSupport t = new PortalTestSupport(broker.bootstrapServers(), Map.of("portal.secrets", ""))) {
      FeedFixture.Feed feed = t.fixture.startFeed();
      HttpResponse<Buffer> r = t.call(feed, HttpMethod.POST, "/v1/partners/prt_x/portal-link", FeedFixture.TOKEN, null);
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.bodyAsJsonObject().getString("code")).isEqualTo("portal-disabled");
      assertThat(r.bodyAsJsonObject().getString("detail")).contains("BULLETIN_PORTAL_SECRETS");
    }
  }

  @Test
  void aPortalTestEventIsNotResendableAndIsUnknownToEveryOtherEndpointAndPartner(KafkaBroker broker) {
    try (PortalTestSupport t = new PortalTestSupport(broker.bootstrapServers(), Map.of())) {
      FeedFixture.Feed feed = t.fixture.startFeed();
      String[] acme = t.createPartner("Acme");
      String[] globex = t.createPartner("Globex");
      PortalTestSupport.Receiver receiver = t.receiver(200);
      String tested = t.subscribe(feed, acme[1], receiver.url(), "Acme tested").getString("id");
      String other = t.subscribe(feed, acme[1], t.receiver(200).url(), "Acme other").getString("id");
      t.awaitKey(feed, globex[1]);

      PortalTestSupport.Browser browser = t.new Browser(feed);
      browser.open(t.portalLink(feed, acme[0]).getString("url"));
      assertThat(browser.post("/portal/endpoints/" + tested + "/test", Map.of("csrf", browser.csrf())).statusCode())
          .isEqualTo(303);
      String eventId = awaitFirstAttempt(t, feed, acme[1], tested).getString("eventId");
      assertThat(eventId).startsWith("evt_test_");

      HttpResponse<Buffer> again = t.call(feed, HttpMethod.POST, "/v1/subscriptions/" + tested + "/resend", acme[1],
          new JsonObject().put("eventId", eventId));
      assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(409);
      assertThat(again.bodyAsJsonObject().getString("code")).isEqualTo("not-resendable");

      HttpResponse<Buffer> elsewhere = t.call(feed, HttpMethod.POST, "/v1/subscriptions/" + other + "/resend",
          acme[1], new JsonObject().put("eventId", eventId));
      assertThat(elsewhere.statusCode()).as("an event never sent to this endpoint").isEqualTo(404);
      assertThat(elsewhere.bodyAsJsonObject().getString("code")).isEqualTo("unknown-event");
      assertThat(elsewhere.bodyAsJsonObject().getString("detail")).doesNotContain(tested);

      HttpResponse<Buffer> mine = t.call(feed, HttpMethod.GET, "/v1/events/" + eventId + "/attempts", acme[1], null);
      assertThat(mine.bodyAsJsonObject().getJsonArray("items")).hasSize(1);
      HttpResponse<Buffer> theirs = t.call(feed, HttpMethod.GET, "/v1/events/" + eventId + "/attempts", globex[1],
          null);
      assertThat(theirs.statusCode()).isEqualTo(200);
      assertThat(theirs.bodyAsJsonObject().getJsonArray("items")).as("another partner's attempts").isEmpty();
      assertThat(receiver.received.get()).as("nothing was sent again").isEqualTo(1);
    }
  }

  @Test
  void aPartnerAtItsSubscriptionLimitIsRefusedWith409ByTheApiAndThePortalWhileAnotherPartnerGoesOn(
      KafkaBroker broker) {
    try (PortalTestSupport t = new PortalTestSupport(broker.bootstrapServers(),
        Map.of("webhook.partner.max.subscriptions", "1"))) {
      FeedFixture.Feed feed = t.fixture.startFeed();
      String[] acme = t.createPartner("Acme");
      String[] globex = t.createPartner("Globex");
      t.subscribe(feed, acme[1], t.receiver(200).url(), "Acme first");

      HttpResponse<Buffer> api = t.call(feed, HttpMethod.POST, "/v1/subscriptions", acme[1],
          new JsonObject().put("url", t.receiver(200).url()));
      assertThat(api.statusCode()).as(api.bodyAsString()).isEqualTo(409);
      assertThat(api.getHeader("Content-Type")).startsWith("application/problem+json");
      assertThat(api.bodyAsJsonObject().getString("code")).isEqualTo("subscription-limit");
      assertThat(api.bodyAsJsonObject().getString("detail")).contains("1 subscriptions")
          .contains("webhook.partner.max.subscriptions");
      HttpResponse<Buffer> onBehalf = t.call(feed, HttpMethod.POST, "/v1/subscriptions", FeedFixture.TOKEN,
          new JsonObject().put("url", t.receiver(200).url()).put("partnerId", acme[0]));
      assertThat(onBehalf.statusCode()).as("an admin creating for the partner").isEqualTo(409);

      PortalTestSupport.Browser browser = t.new Browser(feed);
      browser.open(t.portalLink(feed, acme[0]).getString("url"));
      HttpResponse<Buffer> portal = browser.post("/portal/endpoints",
          Map.of("csrf", browser.csrf(), "url", t.receiver(200).url()));
      assertThat(portal.statusCode()).isEqualTo(409);
      assertThat(portal.bodyAsString()).contains("webhook.partner.max.subscriptions");
      assertThat(t.call(feed, HttpMethod.GET, "/v1/subscriptions", acme[1], null).bodyAsJsonObject()
          .getJsonArray("items")).hasSize(1);

      t.subscribe(feed, globex[1], t.receiver(200).url(), "Globex first");
    }
  }

  @Test
  void portalActionsShareThePartnersRateLimitAcrossSessionsAnd429WithRetryAfter(KafkaBroker broker) {
    try (PortalTestSupport t = new PortalTestSupport(broker.bootstrapServers(),
        Map.of("api.rate.limit.per.second", "1", "api.rate.limit.burst", "2"))) {
      FeedFixture.Feed feed = t.fixture.startFeed();
      String[] acme = t.createPartner("Acme");
      String sub = t.subscribe(feed, acme[1], t.receiver(200).url(), "Acme endpoint").getString("id");
      PortalTestSupport.Browser first = t.new Browser(feed);
      first.open(t.portalLink(feed, acme[0]).getString("url"));
      PortalTestSupport.Browser second = t.new Browser(feed);
      second.open(t.portalLink(feed, acme[0]).getString("url"));
      String path = "/portal/endpoints/" + sub + "/disable";

      int refused = 0;
      HttpResponse<Buffer> last = null;
      for (int i = 0; i < 6 && refused == 0; i++) {
        last = (i % 2 == 0 ? first : second).post(path, Map.of("csrf", (i % 2 == 0 ? first : second).csrf()));
        refused = last.statusCode() == 429 ? 1 : 0;
        if (refused == 0) {
          assertThat(last.statusCode()).as(last.bodyAsString()).isEqualTo(303);
        }
      }
      assertThat(last.statusCode()).as("one partner's actions, whichever session").isEqualTo(429);
      assertThat(Long.parseLong(last.getHeader("Retry-After"))).isPositive();
      assertThat(last.bodyAsString()).contains("Too many requests");
    }
  }

  private static JsonObject awaitFirstAttempt(PortalTestSupport t, FeedFixture.Feed feed, String key, String sub) {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
    while (true) {
      var items = t.call(feed, HttpMethod.GET, "/v1/subscriptions/" + sub + "/attempts", key, null).bodyAsJsonObject()
          .getJsonArray("items");
      if (!items.isEmpty()) {
        return items.getJsonObject(0);
      }
      assertThat(System.nanoTime()).as("an attempt logged within 15 s").isLessThan(deadline);
      FeedFixture.sleep(100);
    }
  }
}
