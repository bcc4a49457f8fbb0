package org.bulletin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bulletin.localkafka.LocalKafka;
import org.bulletin.localkafka.LocalKafkaSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Archive pages and report pages whose rendered bytes and reports were evicted (small caches) are
 * read back from Kafka and served again byte for byte; while the broker is stopped (SIGSTOP) such a
 * page answers 503 with Retry-After within the read-back timeout instead of hanging, and serves
 * again once the broker is back. A broker of its own, so no other test sees the stop.
 */
class ColdPagesIT {
  private static final int REPORTS = 40;
  private Path dir;
  private LocalKafka kafka;
  private FeedFixture fixture;

  @BeforeEach
  void start() throws IOException {
    dir = Files.createTempDirectory("bulletin-coldpages-kafka");
    kafka = LocalKafka.start(LocalKafkaSettings.ephemeral(dir));
    fixture = new FeedFixture(kafka.bootstrapServers(), Map.of("feed.items.per.document", "5",
        // Both caches at their minimum: a few pages and reports fit, the rest are cold again.
        "feed.report.cache.bytes", "65536", "feed.page.cache.bytes", "65536",
        "feed.readback.timeout.ms", "1500", "webhook.enabled", "false", "websub.enabled", "false"));
  }

  @AfterEach
  void stop() throws IOException {
    try {
      signal("CONT");
      fixture.close();
    } finally {
      kafka.close();
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static JsonObject report(int i) {
    // ~4 KB of text each: a few archive pages and reports fill the caches.
    JsonArray body = new JsonArray();
    for (int p = 0; p < 8; p++) {
      body.add(("Paragraph " + p + " of report " + i + ". ").repeat(20));
    }
    return new JsonObject().put("id", String.format("cold-%03d", i)).put("title", "Cold report " + i)
        .put("publishedDate", LocalDate.of(2023, 1, 1).plusDays(i * 3L).toString()).put("body", body);
  }

  @Test
  void evictedArchiveAndReportPagesAreReadBackIdenticallyAndABrokerOutageGives503NotAHang() throws Exception {
    for (int i = 0; i < REPORTS; i++) {
      fixture.ingest(HttpMethod.POST, "/v1/reports", "application/json", report(i).encode());
    }
    FeedFixture.Feed feed = fixture.startFeed();
    feed.await("/feeds/reports.atom", b -> b.contains("Cold report " + (REPORTS - 1) + "<"));

    Map<String, HttpResponse<Buffer>> first = pages(feed);
    assertThat(first.keySet().stream().filter(p -> p.contains("/archive/"))).as("archive pages").hasSizeGreaterThanOrEqualTo(5);
    for (Map.Entry<String, HttpResponse<Buffer>> page : first.entrySet()) {
      assertThat(page.getValue().statusCode()).as(page.getKey()).isEqualTo(200);
    }
    // The oldest archive page holds the oldest report, read back from the topic.
    String oldest = first.get("/reports/cold-000").bodyAsString();
    assertThat(oldest).contains("Cold report 0<").contains("Paragraph 7 of report 0.");
    String archive = first.entrySet().stream().filter(e -> e.getKey().contains("/archive/"))
        .reduce((a, b) -> b).orElseThrow().getValue().bodyAsString();
    assertThat(archive).contains("report/cold-000<").contains("Paragraph 7 of report 0.");
    long readBack = readBackCount(feed);

    // Served again after the caches moved on: same bytes, same ETags.
    Map<String, HttpResponse<Buffer>> second = pages(feed);
    for (Map.Entry<String, HttpResponse<Buffer>> page : first.entrySet()) {
      HttpResponse<Buffer> again = second.get(page.getKey());
      assertThat(again.statusCode()).as(page.getKey()).isEqualTo(200);
      assertThat(again.bodyAsString()).as(page.getKey()).isEqualTo(page.getValue().bodyAsString());
      assertThat(again.getHeader("ETag")).as(page.getKey()).isEqualTo(page.getValue().getHeader("ETag"));
    }
    assertThat(readBackCount(feed)).as("reports read back from Kafka the second time").isGreaterThan(readBack);

    signal("STOP");
    int unavailable = 0;
    for (String path : first.keySet()) {
      HttpResponse<Buffer> response = getWithin30s(feed, path);
      if (response.statusCode() == 503) {
        unavailable++;
        assertThat(response.getHeader("Retry-After")).as(path).isNotBlank();
        assertThat(response.getHeader("Content-Type")).as(path).startsWith("application/problem+json");
        assertThat(response.bodyAsJsonObject().getString("code")).as(path).isEqualTo("content-unavailable");
      } else {
        assertThat(response.statusCode()).as(path + ": still cached").isEqualTo(200);
        assertThat(response.bodyAsString()).as(path).isEqualTo(first.get(path).bodyAsString());
      }
    }
    assertThat(unavailable).as("cold pages while the broker is stopped").isPositive();
    assertThat(metrics(feed)).contains("bulletin_feed_read_back_failures_total");

    signal("CONT");
    String cold = first.keySet().iterator().next();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    HttpResponse<Buffer> back = getWithin30s(feed, cold);
    while (back.statusCode() != 200) {
      assertThat(System.nanoTime()).as(cold + " served again within 60 s of the broker's return").isLessThan(deadline);
      Thread.sleep(200);
      back = getWithin30s(feed, cold);
    }
    assertThat(back.bodyAsString()).isEqualTo(first.get(cold).bodyAsString());
  }

  /** Every archive page of the all-reports feed (Atom), oldest last, then every report page. */
  private static Map<String, HttpResponse<Buffer>> pages(FeedFixture.Feed feed) {
    Map<String, HttpResponse<Buffer>> pages = new LinkedHashMap<>();
    String next = prevArchive(feed.get("/feeds/reports.atom").bodyAsString());
    while (next != null) {
      HttpResponse<Buffer> response = feed.get(next);
      pages.put(next, response);
      next = response.statusCode() == 200 ? prevArchive(response.bodyAsString()) : null;
    }
    List<String> reports = new ArrayList<>();
    for (int i = REPORTS - 1; i >= 0; i--) {
      reports.add(String.format("/reports/cold-%03d", i));
    }
    for (String path : reports) {
      pages.put(path, feed.get(path));
    }
    return pages;
  }

  private static String prevArchive(String atom) {
    Matcher m = Pattern.compile("<link rel=\"prev-archive\" [^>]*href=\"http://feeds.test([^\"]+)\"").matcher(atom);
    return m.find() ? m.group(1) : null;
  }

  /** A GET that fails the test instead of waiting for ever. */
  private HttpResponse<Buffer> getWithin30s(FeedFixture.Feed feed, String path) {
    return fixture.client().get(feed.verticle.actualPort(), "127.0.0.1", path).timeout(30_000).send().await();
  }

  private String metrics(FeedFixture.Feed feed) {
    return fixture.client().get(feed.managementPort(), "127.0.0.1", "/metrics").timeout(30_000).send().await()
        .bodyAsString();
  }

  private long readBackCount(FeedFixture.Feed feed) {
    Matcher m = Pattern.compile("(?m)^bulletin_feed_reports_read_back(?:\\{[^}]*})? ([0-9.eE+]+)$").matcher(metrics(feed));
    assertThat(m.find()).as("read-back gauge").isTrue();
    return (long) Double.parseDouble(m.group(1));
  }

  private void signal(String name) {
    org.bulletin.testkit.ProcessSignals.send(kafka.pid(), name);
  }
}
