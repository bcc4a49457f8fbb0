package org.bulletin.feed.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import org.bulletin.feed.view.Entry;
import org.bulletin.feed.view.EntryKey;
import org.bulletin.schema.MeetingReport;
import org.junit.jupiter.api.Test;

class PageLinksTest {
  private static final Links LINKS = new Links("http://feeds.test", "bulletin.dev,2024");
  private final PageRenderer pages = new PageRenderer(LINKS, "Bulletin");

  private String page(String source, String sourceUrl) {
    MeetingReport r = new MeetingReport("a-report", "A report", LocalDate.of(2024, 1, 2), null, "Erqi District", null,
        null, source, sourceUrl, List.of("Body."), null, List.of(), "en");
    return new String(pages.report(new Entry(new EntryKey(1, 0, 0), r, Instant.parse("2024-01-02T00:00:00Z"))),
        StandardCharsets.UTF_8);
  }

  @Test
  void javascriptSourceUrlNeverBecomesALinkWhateverItsDisguise() {
    for (String url : List.of("javascript:alert(document.cookie)", "JAVASCRIPT:alert(document.cookie)",
        "\u0001javascript:alert(document.cookie)", " javascript:alert(document.cookie)", "java\tscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "vbscript:msgbox(1)", "//evil.example/")) {
      String html = page("Website of Erqi District", url);
      assertThat(html).as(url).doesNotContain("href=\"" + url.strip())
          .doesNotContainIgnoringCase("href=\"javascript").doesNotContainIgnoringCase("href=\"data:")
          .doesNotContain("evil.example")
          .contains("<dd>Website of Erqi District</dd>");
    }
  }

  @Test
  void httpAndHttpsSourcesAreLinkedWithoutReferrerOrOpener() {
    String html = page("Website of Erqi District", "https://www.example.gov/news/1?a=1&b=2");
    assertThat(html).contains("<a href=\"https://www.example.gov/news/1?a=1&amp;b=2\" rel=\"nofollow noopener noreferrer\">"
        + "Website of Erqi District</a>");
    assertThat(page(null, "http://www.example.gov/n")).contains("<a href=\"http://www.example.gov/n\"");
    assertThat(page(null, "javascript:alert(1)")).doesNotContain("javascript");
  }

  @Test
  void contentSecurityPolicyAllowsExactlyTheInlineStyleThePagesUse() throws Exception {
    String html = page("S", null);
    String css = html.substring(html.indexOf("<style>") + 7, html.indexOf("</style>"));
    String hash = Base64.getEncoder().encodeToString(
        MessageDigest.getInstance("SHA-256").digest(css.getBytes(StandardCharsets.UTF_8)));
    assertThat(PageRenderer.CONTENT_SECURITY_POLICY)
        .startsWith("default-src 'none'; ")
        .contains("style-src 'sha256-" + hash + "'")
        .contains("base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'")
        .doesNotContain("unsafe", "script-src");
    assertThat(html).doesNotContain("<script", " style=\"", "<img", "<iframe", "<form");
  }

  @Test
  void feedsLinkTheSourceOnlyWhenItIsHttp() {
    FeedPage page = new FeedPage(org.bulletin.feed.view.FeedKey.ALL, "All", 0, 0, List.of(
        entry("web", "https://www.example.gov/news/1"), entry("script", "javascript:alert(document.cookie)")),
        Instant.parse("2024-01-02T00:00:00Z"));
    String atom = new String(new AtomRenderer(LINKS).render(page), StandardCharsets.UTF_8);
    String json = new String(new JsonFeedRenderer(LINKS).render(page), StandardCharsets.UTF_8);
    assertThat(atom).contains("<link rel=\"via\" href=\"https://www.example.gov/news/1\"").doesNotContain("javascript");
    assertThat(json).contains("\"external_url\" : \"https://www.example.gov/news/1\"").doesNotContain("javascript");
  }

  private static Entry entry(String id, String sourceUrl) {
    return new Entry(new EntryKey(id.length(), 0, id.length()), new MeetingReport(id, "Report " + id,
        LocalDate.of(2024, 1, 2), null, null, null, null, "Source", sourceUrl, List.of("Body."), null, List.of(), "en"),
        Instant.parse("2024-01-02T00:00:00Z"));
  }
}
