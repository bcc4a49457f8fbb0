package org.bulletin.bench;

import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bulletin.feed.FeedSettings;
import org.bulletin.feed.FeedVerticle;
import org.bulletin.feed.webhook.WebhookSettings;
import org.bulletin.platform.config.Config;
import org.bulletin.platform.config.KafkaSettings;
import org.bulletin.platform.kafka.TopicAdmin;

/** A feed service on topics of its own, in this JVM, as a benchmark target. */
final class Stack implements AutoCloseable {
  static final String TOKEN = "bench-token";
  final Vertx vertx = Vertx.vertx();
  final Config config;
  private FeedVerticle feed;
  private String deployment;

  Stack(String bootstrap, Map<String, String> extra) {
    String s = UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> o = new HashMap<>();
    o.put("kafka.bootstrap.servers", bootstrap);
    for (String key : List.of("topics.reports", "topics.reports.dlq", "topics.subscriptions", "topics.deliveries",
        "topics.deliveries.retry.prefix", "topics.deliveries.dlq", "topics.delivery.attempts", "topics.credentials",
        "topics.audit", "webhook.group.prefix")) {
      o.put(key, "bench-" + key.replace('.', '-') + "-" + s);
    }
    o.put("api.tokens", TOKEN);
    o.put("api.rate.limit.per.second", "0"); // measures the services, not the rate limit
    o.put("secrets.keys", "bench:" + java.util.Base64.getEncoder().encodeToString(new byte[32]));
    o.put("feed.http.host", "127.0.0.1");
    o.put("feed.http.port", "0");
    o.put("feed.management.port", "0");
    o.put("webhook.allow.http", "true");
    o.put("webhook.allowlist", "127.0.0.1/32");
    o.putAll(extra);
    config = Config.of(o);
    KafkaSettings kafka = KafkaSettings.from(config);
    TopicAdmin.ensureTopics(kafka, List.of(kafka.reports(), kafka.deadLetter()), 30_000);
  }

  String reportsTopic() {
    return config.string("topics.reports");
  }

  /** Starts the feed service and waits until its view caught up; returns the milliseconds that took. */
  long startFeed() throws InterruptedException {
    long t0 = System.nanoTime();
    feed = new FeedVerticle(FeedSettings.from(config), WebhookSettings.from(config));
    deployment = vertx.deployVerticle(feed).await();
    while (!feed.isReady()) {
      Thread.sleep(5);
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  void stopFeed() {
    vertx.undeploy(deployment).await(); // its HTTP server instances go with it
    feed = null;
  }

  /** The running feed service (after {@link #startFeed}). */
  FeedVerticle feed() {
    return feed;
  }

  String url(String path) {
    return "http://127.0.0.1:" + feed.actualPort() + path;
  }

  int port() {
    return feed.actualPort();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
