package org.bulletin.feed.websub;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.bulletin.feed.delivery.DeliveryEngineSettings;
import org.bulletin.feed.delivery.DeliveryQueue;
import org.bulletin.feed.delivery.DeliveryTask;
import org.bulletin.feed.delivery.TaskCodec;
import org.bulletin.feed.serve.CachedDocument;
import org.bulletin.platform.config.Config;
import org.junit.jupiter.api.Test;

class EngineDeliveriesTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private final List<byte[]> written = new ArrayList<>();
  private final DeliveryEngineSettings engine = DeliveryEngineSettings.from(Config.of(Map.of()));
  private final EngineDeliveries deliveries = new EngineDeliveries(new DeliveryQueue((topic, key, value) -> {
    written.add(value);
    return Future.<RecordMetadata>succeededFuture(new RecordMetadata(new TopicPartition(topic, 0), 0, 0, 0, 0, 0));
  }, engine), Clock.fixed(NOW, ZoneOffset.UTC));

  private static HubSubscription sub(int n) {
    String callback = "https://s" + n + ".test/cb";
    return new HubSubscription(HubSubscription.keyOf("t", callback), "t", callback, 60, NOW.plusSeconds(60), null,
        NOW, NOW);
  }

  @Test
  void everySubscriberGetsTheDocumentWithItsContentTypeAndBothLinksInChunks() {
    CachedDocument doc = CachedDocument.of(200, "application/atom+xml; charset=utf-8",
        "<feed/>".getBytes(StandardCharsets.UTF_8), NOW, NOW)
        .withLink("<https://f.test/websub>; rel=\"hub\", <https://f.test/feeds/reports.atom>; rel=\"self\"");
    List<HubSubscription> subs = new ArrayList<>();
    for (int i = 0; i < EngineDeliveries.CHUNK * 2 + 3; i++) {
      subs.add(sub(i));
    }
    assertThat(deliveries.enqueue("https://f.test/feeds/reports.atom", doc, subs).succeeded()).isTrue();

    assertThat(written).hasSize(subs.size());
    List<DeliveryTask> tasks = written.stream().map(TaskCodec::decode).toList();
    assertThat(tasks).extracting(DeliveryTask::endpointId).containsExactlyElementsOf(subs.stream()
        .map(HubSubscription::key).toList());
    DeliveryTask first = tasks.get(0);
    assertThat(first.channel()).isEqualTo("websub");
    assertThat(first.contentType()).isEqualTo("application/atom+xml; charset=utf-8");
    assertThat(first.headers().get("Link")).containsExactly("<https://f.test/websub>; rel=\"hub\"",
        "<https://f.test/feeds/reports.atom>; rel=\"self\"");
    assertThat(new String(first.payload(), StandardCharsets.UTF_8)).isEqualTo("<feed/>");
    assertThat(first.labels()).containsEntry("topic", "https://f.test/feeds/reports.atom");
  }

  @Test
  void theMessageIdIsStablePerSubscriberAndDocument() {
    assertThat(EngineDeliveries.messageId("ws_a", "\"e1\"")).isEqualTo(EngineDeliveries.messageId("ws_a", "\"e1\""))
        .isNotEqualTo(EngineDeliveries.messageId("ws_b", "\"e1\""))
        .isNotEqualTo(EngineDeliveries.messageId("ws_a", "\"e2\""));
  }
}
