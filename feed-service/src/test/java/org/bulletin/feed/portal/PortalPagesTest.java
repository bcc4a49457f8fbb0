package org.bulletin.feed.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.bulletin.feed.webhook.Attempt;
import org.bulletin.feed.webhook.Subscription;
import org.junit.jupiter.api.Test;

/** The compiled templates render, and text from partners and endpoints never becomes markup. */
class PortalPagesTest {
  private static final String EVIL = "\"><script>alert(1)</script><img src=x onerror=alert(2)>";
  private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
  private final PortalPages pages = new PortalPages();

  private static Subscription subscription(String description) {
    return new Subscription("sub_1", "prt_1", "https://example.org/hook?a=1&b=\"2\"", description,
        new Subscription.Filters(List.of("published"), List.of(EVIL), List.of()), true, null, false,
        List.of(new Subscription.SigningSecret("whsec_x", null)), null, NOW, NOW);
  }

  @Test
  void homeEscapesPartnerNamesDescriptionsAndFilters() {
    PortalPartner partner = new PortalPartner("ptn_1", EVIL);
    EndpointRow row = new EndpointRow(subscription(EVIL), EndpointStats.of(List.of(), NOW));
    String html = pages.render("home.jte", new HomeView(partner, "csrf-1", null, EVIL, List.of(row), 1, "all",
        new EndpointForm(EVIL, EVIL, List.of("published"), EVIL, EVIL)));
    assertThat(html).doesNotContain("<script>").doesNotContain("<img").contains("&lt;script&gt;")
        .contains("name=\"csrf\" value=\"csrf-1\"")
        .contains("<code>https://example.org/hook?a=1&amp;b=\"2\"</code>")
        .contains("value=\"&#34;>")
        .contains("<html lang=\"en\">").contains("<main id=\"main\"").contains("<label for=\"url\">");
  }

  @Test
  void attemptSnippetsAreShownAsText() {
    PortalPartner partner = new PortalPartner("ptn_1", "Partner One");
    Attempt a = new Attempt("msg_1", "sub_1", "evt_1", "report.published", "r1", 1, NOW, 500, 12,
        "</code></td><script>alert(3)</script>", null, "retrying", null, 0, 5);
    String html = pages.render("endpoint.jte", new EndpointView(partner, "csrf-1", null, null,
        new EndpointRow(subscription("Mine"), EndpointStats.of(List.of(a), NOW)), List.of(a), "all",
        "2026-11-26T10:00", "2026-11-27T10:01"));
    assertThat(html).doesNotContain("<script>").contains("&lt;/code&gt;&lt;/td&gt;&lt;script&gt;")
        .contains("HTTP 500").contains("12 ms").contains("Enabled, failing since 2026-11-27 10:00:00 UTC")
        .contains("value=\"evt_1\"");
  }

  @Test
  void aTestEventOffersNoResend() {
    PortalPartner partner = new PortalPartner("ptn_1", "Partner One");
    Attempt test = new Attempt("msg_2", "sub_1", "evt_test_1", "webhook.test", null, 1, NOW, 200, 3, "ok", null,
        "delivered", null, -1, -1);
    String html = pages.render("endpoint.jte", new EndpointView(partner, "c", null, null,
        new EndpointRow(subscription("Mine"), EndpointStats.of(List.of(test), NOW)), List.of(test), "all", "", ""));
    assertThat(html).contains("webhook.test").doesNotContain("Resend event evt_test_1");
  }
}
