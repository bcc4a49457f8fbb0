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

  private static CachedDocument atom(String body) {
    return CachedDocument.of(200, "application/atom+xml; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), NOW, NOW)
        .withLink("<https://f.test/websub>; rel=\"hub\", <https://f.test/feeds/reports.atom>; rel=\"self\"");
  }

  @Test
  void everySubscriberGetsATaskReferencingTheTopicAndTheDocumentItWasMadeForInChunks() {
    CachedDocument doc = atom("<feed/>");
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
    assertThat(first.contentType()).isEqualTo("text/uri-list");
    assertThat(new String(first.payload(), StandardCharsets.UTF_8)).as("the document is put in when attempted")
        .isEqualTo("https://f.test/feeds/reports.atom");
    assertThat(first.labels()).containsEntry("topic", "https://f.test/feeds/reports.atom")
        .containsEntry("etag", doc.etag());
    assertThat(first.messageId()).isEqualTo(EngineDeliveries.messageId(subs.get(0).key(), doc.etag()));
  }

  @Test
  void aTaskIsNoLargerForALargeDocumentThanForASmallOne() {
    String large = "<feed>" + "<entry>minutes</entry>".repeat(20_000) + "</feed>";
    deliveries.enqueue("https://f.test/feeds/reports.atom", atom("<feed/>"), List.of(sub(1)));
    deliveries.enqueue("https://f.test/feeds/reports.atom", atom(large), List.of(sub(1)));

    assertThat(large.length()).isGreaterThan(400_000);
    assertThat(written).hasSize(2);
    assertThat(written.get(1).length).isEqualTo(written.get(0).length).isLessThan(1024);
  }

  @Test
  void theMessageIdIsStablePerSubscriberAndDocument() {
    assertThat(EngineDeliveries.messageId("ws_a", "\"e1\"")).isEqualTo(EngineDeliveries.messageId("ws_a", "\"e1\""))
        .isNotEqualTo(EngineDeliveries.messageId("ws_b", "\"e1\""))
        .isNotEqualTo(EngineDeliveries.messageId("ws_a", "\"e2\""));
  }
}
