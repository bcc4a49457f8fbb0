package org.bulletin.producer;

import io.vertx.core.Vertx;
import java.util.Map;
import org.bulletin.platform.config.Config;
import org.bulletin.platform.config.ConfigException;

/** Runs the ingest API on its own (the Docker image's entry point). */
public final class ProducerMain {
  private ProducerMain() {}

  public static void main(String[] args) {
    ProducerSettings settings;
    try {
      settings = ProducerSettings.from(Config.fromProcessEnvironment(Map.of()));
    } catch (ConfigException e) {
      System.err.println("bulletin producer: " + e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await(), "producer-shutdown"));
    vertx.deployVerticle(new ProducerVerticle(settings)).onFailure(e -> {
      System.err.println("bulletin producer: cannot start: " + e.getMessage());
      System.exit(1);
    });
  }
}
