package org.bulletin.feed;

import io.vertx.core.Vertx;
import java.util.Map;
import org.bulletin.platform.config.Config;
import org.bulletin.platform.config.ConfigException;
import org.bulletin.feed.webhook.WebhookSettings;

/** Runs the feed service on its own (the Docker image's entry point). */
public final class FeedMain {
  private FeedMain() {}

  public static void main(String[] args) {
    FeedSettings settings;
    WebhookSettings webhooks;
    try {
      Config config = Config.fromProcessEnvironment(Map.of());
      settings = FeedSettings.from(config);
      webhooks = WebhookSettings.from(config);
    } catch (ConfigException e) {
      System.err.println("bulletin feed-service: " + e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await(), "feed-shutdown"));
    vertx.deployVerticle(new FeedVerticle(settings, webhooks)).onFailure(e -> {
      System.err.println("bulletin feed-service: cannot start: " + e.getMessage());
      System.exit(1);
    });
  }
}
