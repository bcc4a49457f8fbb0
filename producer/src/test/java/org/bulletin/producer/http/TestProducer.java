package org.bulletin.producer.http;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.util.HashMap;
import java.util.Map;
import org.bulletin.platform.config.Config;
import org.bulletin.producer.ProducerSettings;
import org.bulletin.producer.ProducerVerticle;

/** A producer on port 0 with token {@value #TOKEN}, for tests. */
final class TestProducer implements AutoCloseable {
  static final String TOKEN = "test-token-1";
  final Vertx vertx = Vertx.vertx();
  final WebClient client = WebClient.create(vertx);
  final int port;

  TestProducer(String bootstrapServers, Map<String, String> extra) {
    Map<String, String> overrides = new HashMap<>(Map.of(
        "kafka.bootstrap.servers", bootstrapServers,
        "producer.http.host", "127.0.0.1",
        "producer.http.port", "0",
        "api.tokens", TOKEN + ",second-token",
        "feed.base.url", "http://feeds.test",
        "api.rate.limit.per.second", "0"));
    overrides.putAll(extra);
    ProducerVerticle verticle = new ProducerVerticle(ProducerSettings.from(Config.of(overrides)));
    vertx.deployVerticle(verticle).await();
    port = verticle.actualPort();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
