package org.bulletin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.InputStream;
import java.util.Map;
import org.bulletin.feed.webhook.WebhookSettings;
import org.bulletin.platform.config.Config;
import org.junit.jupiter.api.Test;

/** Every operation of the feed service's OpenAPI document is served (no Kafka needed for routing). */
class FeedApiDocumentTest {
  @Test
  void everyDocumentedOperationIsRouted() throws Exception {
    JsonNode doc;
    try (InputStream in = getClass().getResourceAsStream(FeedVerticle.OPENAPI)) {
      doc = new ObjectMapper(new YAMLFactory()).readTree(in);
    }
    Config config = Config.of(Map.of("kafka.bootstrap.servers", "127.0.0.1:1", "api.tokens", "t",
        "secrets.keys", FeedFixture.SECRETS_KEY,
        "feed.http.host", "127.0.0.1", "feed.http.port", "0", "feed.management.port", "0"));
    Vertx vertx = Vertx.vertx();
    try {
      FeedVerticle verticle = new FeedVerticle(FeedSettings.from(config), WebhookSettings.from(config));
      vertx.deployVerticle(verticle).await();
      WebClient client = WebClient.create(vertx);
      int operations = 0;
      for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
        for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
          if (op.getKey().equals("parameters")) {
            continue;
          }
          String url = path.getKey().replace("{id}", "sub_unknown").replace("{eventId}", "evt")
              .replace("{keyId}", "key_unknown");
          HttpResponse<Buffer> r = client.request(HttpMethod.valueOf(op.getKey().toUpperCase()), verticle.actualPort(),
              "127.0.0.1", url).putHeader("Authorization", "Bearer t").send().await();
          assertThat(r.statusCode()).as(op.getKey() + " " + url).isNotEqualTo(405);
          if (r.statusCode() == 404) {
            assertThat(r.bodyAsJsonObject().getString("code")).as(op.getKey() + " " + url).isNotEqualTo("not-found");
          }
          operations++;
        }
      }
      assertThat(operations).isEqualTo(32);
    } finally {
      vertx.close().await();
    }
  }
}
