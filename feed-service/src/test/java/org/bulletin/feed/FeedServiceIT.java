package org.bulletin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.rometools.rome.feed.atom.Feed;
import com.rometools.rome.feed.rss.Channel;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.bulletin.testkit.KafkaBroker;
import org.bulletin.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class FeedServiceIT {
  private static final String SAMPLE = "huiji-economic-operation-meeting.txt";
  private static final String SAMPLE_ID = "2022-04-27-huiji-district-held-economic-operation-analysis-meeting";
  private static final String GUID = "tag:bulletin.dev,2024:report/" + SAMPLE_ID;
  private FeedFixture fixture;

  @BeforeEach
  void start(KafkaBroker broker) {
    fixture = new FeedFixture(broker.bootstrapServers(), Map.of("feed.items.per.document", "3"));
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void publishedSampleAppearsInRssAtomAndJsonFeedWithinSeconds() throws Exception {
    FeedFixture.Feed feed = fixture.startFeed();
    fixture.publishSample(SAMPLE);

    Channel rss = FeedValidity.rss(feed.await("/feeds/reports.rss", b -> b.contains(GUID)).bodyAsString());
    assertThat(rss.getItems()).singleElement().satisfies(item -> {
      assertThat(item.getTitle()).isEqualTo("Huiji district held economic operation analysis meeting");
      assertThat(item.getLink()).isEqualTo("http://feeds.test/reports/" + SAMPLE_ID);
    });
    Feed atom = FeedValidity.atom(feed.await("/feeds/reports.atom", b -> b.contains(GUID)).bodyAsString());
    assertThat(atom.getEntries()).singleElement().satisfies(e -> {
      assertThat(e.getId()).isEqualTo(GUID);
      assertThat(e.getAuthors().get(0).getName()).isEqualTo("Website of Huiji District People’s Government");
      assertThat(e.getContents().get(0).getValue()).contains("Presided by: Wei Dong");
    });
    JsonNode json = FeedValidity.json(feed.await("/feeds/reports.json", b -> b.contains(GUID)).bodyAsString());
    assertThat(json.at("/items/0/url").asText()).isEqualTo("http://feeds.test/reports/" + SAMPLE_ID);

    for (String path : List.of("/feeds/districts/huiji-district.rss", "/feeds/tags/economy.atom",
        "/feeds/tags/investment.json")) {
      assertThat(feed.get(path).bodyAsString()).as(path).contains(GUID);
    }
    HttpResponse<Buffer> rssResponse = feed.get("/feeds/reports.rss");
    assertThat(rssResponse.getHeader("Content-Type")).isEqualTo("application/rss+xml; charset=utf-8");
    assertThat(feed.get("/feeds/reports.atom").getHeader("Content-Type")).isEqualTo("application/atom+xml; charset=utf-8");
    assertThat(feed.get("/feeds/reports.json").getHeader("Content-Type")).isEqualTo("application/feed+json; charset=utf-8");
    assertThat(feed.get("/reports/" + SAMPLE_ID).bodyAsString())
        .contains("Wei Dong (secretary of the District Party Committee)").contains("Zheng Jianming")
        .contains("rel=\"alternate\" type=\"application/rss+xml\"");
  }

  @Test
  void conditionalGetGzipHeadAndTruthfulLastModified() throws Exception {
    FeedFixture.Feed feed = fixture.startFeed();
    fixture.publishSample(SAMPLE);
    HttpResponse<Buffer> first = feed.await("/feeds/reports.atom", b -> b.contains(GUID));
    String etag = first.getHeader("ETag");
    String lastModified = first.getHeader("Last-Modified");
    assertThat(etag).matches("\"[A-Za-z0-9_-]{27}\"");
    assertThat(first.getHeader("Cache-Control")).isEqualTo("public, max-age=60");

    fixture.sleep(1100); // a Last-Modified of "now" would now differ
    HttpResponse<Buffer> again = feed.get("/feeds/reports.atom");
    assertThat(again.getHeader("Last-Modified")).isEqualTo(lastModified);
    assertThat(feed.get("/feeds/reports.atom", "If-None-Match", etag).statusCode()).isEqualTo(304);
    assertThat(feed.get("/feeds/reports.atom", "If-None-Match", "\"other\", " + etag).statusCode()).isEqualTo(304);
    assertThat(feed.get("/feeds/reports.atom", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
    assertThat(feed.get("/feeds/reports.atom", "If-Modified-Since", lastModified).statusCode()).isEqualTo(304);
    assertThat(feed.get("/feeds/reports.atom", "If-Modified-Since", "Mon, 01 Jan 2001 00:00:00 GMT").statusCode())
        .isEqualTo(200);

    var request = fixture.client.get(feed.verticle.actualPort(), "127.0.0.1", "/feeds/reports.atom")
        .putHeader("Accept-Encoding", "gzip");
    HttpResponse<Buffer> gz = request.send().await();
    assertThat(gz.getHeader("Content-Encoding")).isEqualTo("gzip");
    assertThat(gz.getHeader("ETag")).isNotEqualTo(etag);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body().getBytes()))) {
      assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(first.bodyAsString());
    }

    HttpResponse<Buffer> head = feed.request(HttpMethod.HEAD, "/feeds/reports.atom");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.getHeader("ETag")).isEqualTo(etag);
    assertThat(head.getHeader("Content-Length")).isEqualTo(String.valueOf(first.body().length()));
    assertThat(head.body()).isNull();
  }

  @Test
  void correctionChangesTheItemButNotItsIds() throws Exception {
    FeedFixture.Feed feed = fixture.startFeed();
    fixture.publishSample(SAMPLE);
    Feed before = FeedValidity.atom(feed.await("/feeds/reports.atom", b -> b.contains(GUID)).bodyAsString());
    String corrected = Files.readString(FeedFixture.SAMPLES.resolve(SAMPLE))
        .replace("Huiji district held economic operation analysis meeting",
            "Huiji district held economic operation analysis meeting (corrected)");
    fixture.ingest(HttpMethod.PUT, "/v1/reports/" + SAMPLE_ID, "text/plain", corrected);

    Feed after = FeedValidity.atom(feed.await("/feeds/reports.atom", b -> b.contains("(corrected)")).bodyAsString());
    assertThat(after.getEntries()).singleElement().satisfies(e -> {
      assertThat(e.getId()).isEqualTo(GUID);
      assertThat(e.getUpdated()).isAfterOrEqualTo(before.getEntries().get(0).getUpdated());
      assertThat(e.getAlternateLinks().get(0).getHref()).isEqualTo("http://feeds.test/reports/" + SAMPLE_ID);
    });
    Channel rss = FeedValidity.rss(feed.get("/feeds/reports.rss").bodyAsString());
    assertThat(rss.getItems()).singleElement().satisfies(i -> assertThat(i.getGuid().getValue()).isEqualTo(GUID));
    assertThat(feed.get("/reports/" + SAMPLE_ID).bodyAsString()).contains("(corrected)");
  }

  /** The archive chain of the all-reports feed, newest first: path (in {@code extension}) to body. */
  private static List<Map.Entry<String, String>> archiveChain(FeedFixture.Feed feed, String extension) throws Exception {
    List<Map.Entry<String, String>> chain = new java.util.ArrayList<>();
    String next = linkOf(FeedValidity.atom(feed.get("/feeds/reports.atom").bodyAsString()), "prev-archive");
    while (next != null) {
      HttpResponse<Buffer> atom = feed.get(next);
      assertThat(atom.statusCode()).as(next).isEqualTo(200);
      String path = next.replace(".atom", "." + extension);
      chain.add(Map.entry(path, feed.get(path).bodyAsString()));
      next = linkOf(FeedValidity.atom(atom.bodyAsString()), "prev-archive");
    }
    return chain;
  }

  private static String linkOf(Feed doc, String rel) {
    return doc.getOtherLinks().stream().filter(l -> l.getRel().equals(rel)).findFirst()
        .map(l -> l.getHref().replace("http://feeds.test", "")).orElse(null);
  }

  @Test
  void retractionRemovesTheReportEverywhereLeavesAnAtomTombstoneAndChangesOnlyItsOwnArchivePageAndItsNeighbours()
      throws Exception {
    FeedFixture.Feed feed = fixture.startFeed();
    List<String> others = List.of("guancheng-environment-notice.txt", "erqi-flood-prevention-meeting.txt",
        "zhongyuan-year-end-review.txt", "jinshui-urban-renewal-conference.txt", "xinzheng-investment-promotion-meeting.txt",
        "huiji-epidemic-prevention-meeting.txt");
    for (String sample : others) {
      fixture.publishSample(sample);
    }
    fixture.publishSample(SAMPLE);
    feed.await("/feeds/reports/archive/2022-04.atom", b -> b.contains(GUID));
    // 7 reports of 7 different months, 3 per document: 4 archive pages of one report each.
    List<Map.Entry<String, String>> atom = archiveChain(feed, "atom");
    List<Map.Entry<String, String>> json = archiveChain(feed, "json");
    assertThat(atom).extracting(Map.Entry::getKey).containsExactly("/feeds/reports/archive/2023-10.atom",
        "/feeds/reports/archive/2023-06.atom", "/feeds/reports/archive/2022-05.atom",
        "/feeds/reports/archive/2022-04.atom");
    assertThat(atom.get(1).getValue()).contains("<fh:archive").contains("rel=\"prev-archive\"")
        .contains("archive/2022-05.atom").contains("rel=\"next-archive\"").contains("archive/2023-10.atom");
    assertThat(feed.get("/feeds/reports/archive/2022-06.atom").statusCode()).isEqualTo(404);

    fixture.ingest(HttpMethod.DELETE, "/v1/reports/" + SAMPLE_ID, null, null);

    feed.await("/feeds/reports.rss", b -> b.contains("zhongyuan") && !b.contains(GUID));
    feed.await("/feeds/reports.atom", b -> b.contains("at:deleted-entry"));
    for (String path : List.of("/feeds/reports.json", "/feeds/districts/huiji-district.rss",
        "/feeds/tags/economy.json", "/")) {
      assertThat(feed.get(path).bodyAsString()).as(path).doesNotContain(SAMPLE_ID);
    }
    // RFC 6721: the Atom documents the report was in name it as deleted, by its entry id.
    for (String path : List.of("/feeds/reports.atom", "/feeds/districts/huiji-district.atom")) {
      Feed doc = FeedValidity.atom(feed.get(path).bodyAsString());
      assertThat(doc.getEntries()).as(path).noneMatch(e -> e.getId().equals(GUID));
      List<org.jdom2.Element> tombstones = doc.getForeignMarkup().stream()
          .filter(e -> e.getName().equals("deleted-entry")
              && e.getNamespaceURI().equals("http://purl.org/atompub/tombstones/1.0")).toList();
      assertThat(tombstones).as(path).singleElement().satisfies(t -> {
        assertThat(t.getAttributeValue("ref")).isEqualTo(GUID);
        assertThat(java.time.Instant.parse(t.getAttributeValue("when"))).isBefore(java.time.Instant.now().plusSeconds(5));
      });
    }
    assertThat(feed.get("/feeds/districts/erqi-district.atom").bodyAsString()).doesNotContain("deleted-entry");
    assertThat(feed.get("/reports/" + SAMPLE_ID).statusCode()).isEqualTo(410);
    // Its own page is gone, its neighbour's prev-archive changed; the pages further away are unchanged.
    assertThat(feed.get("/feeds/reports/archive/2022-04.atom").statusCode()).isEqualTo(404);
    assertThat(feed.get("/feeds/reports/archive/2022-05.atom").bodyAsString()).doesNotContain("prev-archive");
    for (List<Map.Entry<String, String>> chain : List.of(atom, json)) {
      for (Map.Entry<String, String> page : chain.subList(0, 2)) {
        assertThat(feed.get(page.getKey()).bodyAsString()).as(page.getKey()).isEqualTo(page.getValue());
      }
    }
  }

  @Test
  void walkingTheArchivesReachesEveryReportOnceNewestFirst() throws Exception {
    FeedFixture.Feed feed = fixture.startFeed();
    List<String> ids = new java.util.ArrayList<>();
    try (var files = Files.list(FeedFixture.SAMPLES)) {
      for (var file : files.sorted().toList()) {
        ids.add(fixture.publishSample(file.getFileName().toString()));
      }
    }
    feed.await("/feeds/reports/archive/2022-04.atom", b -> b.contains("huiji"));
    List<String> seen = new java.util.ArrayList<>();
    List<java.util.Date> published = new java.util.ArrayList<>();
    int documents = 0;
    // Every sample is applied before the chain is judged (the await above sees only the first).
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    do {
      seen.clear();
      published.clear();
      documents = 0;
      String next = "/feeds/reports.atom";
      while (next != null) {
        Feed doc = FeedValidity.atom(feed.get(next).bodyAsString());
        doc.getEntries().forEach(e -> {
          seen.add(e.getId());
          published.add(e.getPublished());
        });
        next = linkOf(doc, "prev-archive");
        documents++;
      }
      if (seen.size() < ids.size()) {
        Thread.sleep(200);
      }
    } while (seen.size() < ids.size() && System.nanoTime() < deadline);
    assertThat(documents).isEqualTo(5);
    assertThat(seen).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(ids.stream().map(id -> "tag:bulletin.dev,2024:report/" + id).toList());
    assertThat(published).isSortedAccordingTo(java.util.Comparator.reverseOrder());
  }

  @Test
  void restartedAndSecondInstancesServeIdenticalBytesAndEtags() throws Exception {
    FeedFixture.Feed first = fixture.startFeed();
    try (var files = Files.list(FeedFixture.SAMPLES)) {
      for (var file : files.sorted().toList()) {
        fixture.publishSample(file.getFileName().toString());
      }
    }
    first.await("/feeds/reports.rss", b -> b.contains("zhongyuan"));
    FeedFixture.sleep(500);
    List<String> paths = List.of("/feeds/reports.rss", "/feeds/reports.atom", "/feeds/reports.json",
        "/feeds/districts/huiji-district.atom", "/feeds/tags/economy.rss", "/feeds/reports/archive/2023-06.atom",
        "/reports/" + SAMPLE_ID, "/");
    Map<String, HttpResponse<Buffer>> reference = new LinkedHashMap<>();
    paths.forEach(p -> reference.put(p, first.get(p)));

    FeedFixture.Feed second = fixture.startFeed();
    for (String p : paths) {
      HttpResponse<Buffer> r = second.get(p);
      assertThat(r.bodyAsString()).as("second instance " + p).isEqualTo(reference.get(p).bodyAsString());
      assertThat(r.getHeader("ETag")).as(p).isEqualTo(reference.get(p).getHeader("ETag"));
      assertThat(r.getHeader("Last-Modified")).as(p).isEqualTo(reference.get(p).getHeader("Last-Modified"));
    }
    first.stop();
    FeedFixture.Feed restarted = fixture.startFeed();
    for (String p : paths) {
      HttpResponse<Buffer> r = restarted.get(p);
      assertThat(r.bodyAsString()).as("restarted " + p).isEqualTo(reference.get(p).bodyAsString());
      assertThat(r.getHeader("ETag")).as(p).isEqualTo(reference.get(p).getHeader("ETag"));
    }
  }

  @Test
  void titlesWithMarkupAreShownAsTextInValidFeeds() throws Exception {
    FeedFixture.Feed feed = fixture.startFeed();
    String title = "<script>alert('x')</script> Tom & Jerry District meets";
    fixture.ingest(HttpMethod.POST, "/v1/reports", "application/json",
        new io.vertx.core.json.JsonObject().put("id", "markup-test").put("title", title)
            .put("publishedDate", "2024-05-01").put("body", new io.vertx.core.json.JsonArray().add("A <b>bold</b> & fine body."))
            .encode());
    String rssText = feed.await("/feeds/reports.rss", b -> b.contains("markup-test")).bodyAsString();
    assertThat(FeedValidity.rss(rssText).getItems().get(0).getTitle()).isEqualTo(title);
    assertThat(rssText).doesNotContain("<script>");
    Feed atom = FeedValidity.atom(feed.get("/feeds/reports.atom").bodyAsString());
    assertThat(atom.getEntries().get(0).getTitleEx().getValue()).isEqualTo(title);
    assertThat(atom.getEntries().get(0).getContents().get(0).getValue())
        .contains("A &lt;b&gt;bold&lt;/b&gt; &amp; fine body.");
    assertThat(FeedValidity.json(feed.get("/feeds/reports.json").bodyAsString()).at("/items/0/title").asText())
        .isEqualTo(title);
    assertThat(feed.get("/reports/markup-test").bodyAsString()).doesNotContain("<script>")
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Tom &amp; Jerry");
  }
}
