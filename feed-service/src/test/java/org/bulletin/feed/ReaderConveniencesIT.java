package org.bulletin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.bulletin.testkit.KafkaBroker;
import org.bulletin.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What browsers, web readers and aggregators get besides the feeds: error pages, OPML, CORS. */
@ExtendWith(KafkaBrokerExtension.class)
class ReaderConveniencesIT {
  private static final String BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
  private static final String SAMPLE = "huiji-economic-operation-meeting.txt";
  private FeedFixture fixture;

  @BeforeEach
  void start(KafkaBroker broker) {
    fixture = new FeedFixture(broker.bootstrapServers(), Map.of());
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void browsersGetHtmlErrorPagesWithTheRetractionReasonAndApiClientsKeepProblemJson() {
    FeedFixture.Feed feed = fixture.startFeed();
    String id = fixture.publishSample(SAMPLE);
    feed.await("/feeds/reports.rss", b -> b.contains(id));

    HttpResponse<Buffer> page = feed.get("/reports/" + id, "Accept", BROWSER);
    assertThat(page.bodyAsString()).containsPattern("Last updated <time datetime=\"[0-9T:.Z-]+\">\\d{1,2} \\w+ \\d{4}, "
        + "\\d{2}:\\d{2} UTC</time>");

    HttpResponse<Buffer> missingPage = feed.get("/reports/no-such-report", "Accept", BROWSER);
    assertThat(missingPage.statusCode()).isEqualTo(404);
    assertThat(missingPage.getHeader("Content-Type")).startsWith("text/html");
    assertThat(missingPage.bodyAsString()).contains("Not found").contains("type=\"application/atom+xml\"");
    HttpResponse<Buffer> missingApi = feed.get("/reports/no-such-report", "Accept", "*/*");
    assertThat(missingApi.statusCode()).isEqualTo(404);
    assertThat(missingApi.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(feed.get("/nothing/here", "Accept", BROWSER).getHeader("Content-Type")).startsWith("text/html");
    assertThat(feed.get("/nothing/here").getHeader("Content-Type")).isEqualTo("application/problem+json");

    fixture.ingest(HttpMethod.DELETE, "/v1/reports/" + id, "application/json", "{\"reason\":\"published in <error>\"}");
    feed.await("/feeds/reports.rss", b -> !b.contains(id));
    HttpResponse<Buffer> gonePage = feed.get("/reports/" + id, "Accept", BROWSER);
    assertThat(gonePage.statusCode()).isEqualTo(410);
    assertThat(gonePage.getHeader("Vary")).contains("Accept");
    assertThat(gonePage.bodyAsString()).contains("Reason given: <q class=\"reason\">published in &lt;error&gt;</q>")
        .contains("Huiji district held economic operation analysis meeting")
        .containsPattern("<time datetime=\"[0-9T:.Z-]+\">\\d{1,2} \\w+ \\d{4}, \\d{2}:\\d{2} UTC</time>")
        .contains("type=\"application/rss+xml\"");
    HttpResponse<Buffer> goneApi = feed.get("/reports/" + id, "Accept", "application/json");
    assertThat(goneApi.statusCode()).isEqualTo(410);
    assertThat(goneApi.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = goneApi.bodyAsJsonObject();
    assertThat(problem.getString("code")).isEqualTo("retracted");
    assertThat(problem.getString("reason")).isEqualTo("published in <error>");
    assertThat(problem.getString("retractedAt")).isNotBlank();
  }

  @Test
  void opmlListsEveryFeedInEachFormatWithAnEtag() {
    FeedFixture.Feed feed = fixture.startFeed();
    String id = fixture.publishSample(SAMPLE);
    feed.await("/feeds/reports.rss", b -> b.contains(id));
    HttpResponse<Buffer> opml = feed.await("/feeds.opml", b -> b.contains("huiji-district"));
    assertThat(opml.getHeader("Content-Type")).isEqualTo("text/x-opml; charset=utf-8");
    String body = opml.bodyAsString();
    assertThat(body).startsWith("<?xml").contains("<opml version=\"2.0\">");
    for (String format : new String[] {"rss", "atom", "json"}) {
      for (String path : new String[] {"/feeds/reports.", "/feeds/districts/huiji-district.", "/feeds/tags/economy."}) {
        assertThat(body).contains("xmlUrl=\"http://feeds.test" + path + format + "\"");
      }
    }
    int feeds = body.split("type=\"rss\"", -1).length - 1;
    assertThat(feeds % 3).isZero();
    assertThat(feed.get("/feeds.opml", "If-None-Match", opml.getHeader("ETag")).statusCode()).isEqualTo(304);
  }

  @Test
  void feedsAnswerCrossOriginRequestsAndPreflights() {
    FeedFixture.Feed feed = fixture.startFeed();
    HttpResponse<Buffer> get = feed.get("/feeds/reports.atom", "Origin", "https://reader.example");
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.getHeader("Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(get.getHeader("Access-Control-Expose-Headers")).contains("ETag").contains("Last-Modified").contains("Link");
    HttpResponse<Buffer> notModified = feed.get("/feeds/reports.atom", "Origin", "https://reader.example",
        "If-None-Match", get.getHeader("ETag"));
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.getHeader("Access-Control-Allow-Origin")).isEqualTo("*");
    HttpResponse<Buffer> preflight = feed.request(HttpMethod.OPTIONS, "/feeds/reports.json", "Origin",
        "https://reader.example", "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers",
        "if-none-match");
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.getHeader("Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(preflight.getHeader("Access-Control-Allow-Methods")).contains("GET");
    assertThat(preflight.getHeader("Access-Control-Allow-Headers")).contains("If-None-Match");
    assertThat(feed.get("/feeds.opml", "Origin", "https://reader.example").getHeader("Access-Control-Allow-Origin"))
        .isEqualTo("*");
  }
}
