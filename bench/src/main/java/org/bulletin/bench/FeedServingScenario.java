package org.bulletin.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scenario 1: a 50-item RSS feed over 32 keep-alive connections, Bulletin beside nginx serving
 * the identical bytes as a static file; then the same with conditional requests answered 304.
 */
final class FeedServingScenario {
  private FeedServingScenario() {}

  static List<Figure> run(Env env) throws Exception {
    List<Figure> out = new ArrayList<>();
    try (Stack stack = new Stack(env.bootstrap(), Map.of("feed.items.per.document", "50"))) {
      try (EventSender sender = new EventSender(env.bootstrap(), stack.reportsTopic())) {
        for (int i = 0; i < 60; i++) {
          sender.send(EventSender.report("serving-" + i, 1500));
        }
        sender.flush();
      }
      stack.startFeed();
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<byte[]> feed;
      long deadline = System.nanoTime() + 60_000_000_000L;
      do {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the feed did not reach 50 items within 60 s");
        }
        Thread.sleep(50);
        feed = http.send(HttpRequest.newBuilder(URI.create(stack.url("/feeds/reports.rss"))).build(),
            HttpResponse.BodyHandlers.ofByteArray());
      } while (count(new String(feed.body()), "<item>") < 50);
      String etag = feed.headers().firstValue("ETag").orElseThrow();

      Path dir = env.workDir().resolve("nginx-" + System.nanoTime());
      Path root = dir.resolve("root");
      Files.createDirectories(root.resolve("feeds"));
      Files.write(root.resolve("feeds/reports.rss"), feed.body());
      try (Tools.Nginx nginx = new Tools.Nginx(dir, root)) {
        String nginxUrl = "http://127.0.0.1:" + nginx.port + "/feeds/reports.rss";
        String nginxEtag = http.send(HttpRequest.newBuilder(URI.create(nginxUrl)).method("HEAD",
            HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
            .headers().firstValue("ETag").orElseThrow();
        int seconds = env.seconds(10, 2);
        List<Double> bRps = new ArrayList<>();
        List<Double> nRps = new ArrayList<>();
        List<Double> bP99 = new ArrayList<>();
        List<Double> nP99 = new ArrayList<>();
        List<Double> ratio = new ArrayList<>();
        List<Double> bRps304 = new ArrayList<>();
        List<Double> nRps304 = new ArrayList<>();
        List<Double> ratio304 = new ArrayList<>();
        // Warm-up, discarded: the JVM compiles its hot paths in the first seconds; nginx needs none.
        Tools.wrk(stack.url("/feeds/reports.rss"), 32, seconds, null, List.of());
        Tools.wrk(stack.url("/feeds/reports.rss"), 32, seconds, null, List.of("If-None-Match: " + etag));
        Tools.wrk(nginxUrl, 32, seconds, null, List.of());
        for (int run = 0; run < env.runs(); run++) {
          Tools.WrkResult b = Tools.wrk(stack.url("/feeds/reports.rss"), 32, seconds, null, List.of());
          Tools.WrkResult n = Tools.wrk(nginxUrl, 32, seconds, null, List.of());
          bRps.add(b.rps());
          nRps.add(n.rps());
          bP99.add(b.p99Ms());
          nP99.add(n.p99Ms());
          ratio.add(b.rps() / n.rps());
          Tools.WrkResult b304 = Tools.wrk(stack.url("/feeds/reports.rss"), 32, seconds, null,
              List.of("If-None-Match: " + etag));
          Tools.WrkResult n304 = Tools.wrk(nginxUrl, 32, seconds, null, List.of("If-None-Match: " + nginxEtag));
          bRps304.add(b304.rps());
          nRps304.add(n304.rps());
          ratio304.add(b304.rps() / n304.rps());
        }
        String s = "1. Feed serving (50-item RSS, 32 connections, after a warm-up)";
        out.add(new Figure(s, "Bulletin 200 requests/s", new Stats("req/s", bRps), null, null));
        out.add(new Figure(s, "nginx 200 requests/s", new Stats("req/s", nRps), null, null));
        out.add(new Figure(s, "Bulletin 200 p99", new Stats("ms", bP99), null, null));
        out.add(new Figure(s, "nginx 200 p99", new Stats("ms", nP99), null, null));
        Stats r = new Stats("x nginx", ratio);
        out.add(new Figure(s, "Bulletin / nginx, 200", r, ">= 0.8x", r.median() >= 0.8));
        out.add(new Figure(s, "Bulletin 304 requests/s", new Stats("req/s", bRps304), null, null));
        out.add(new Figure(s, "nginx 304 requests/s", new Stats("req/s", nRps304), null, null));
        Stats r304 = new Stats("x nginx", ratio304);
        out.add(new Figure(s, "Bulletin / nginx, 304", r304, ">= 1.0x", r304.median() >= 1.0));
      }
    }
    return out;
  }

  static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
