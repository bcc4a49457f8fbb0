package org.bulletin.feed.websub;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.bulletin.feed.delivery.DeliveryEngineSettings;
import org.bulletin.feed.delivery.DeliveryQueue;
import org.bulletin.feed.delivery.DeliveryTask;
import org.bulletin.feed.delivery.PayloadGoneException;
import org.bulletin.feed.delivery.TaskCodec;
import org.bulletin.feed.serve.CachedDocument;
import org.bulletin.platform.config.Config;
import org.junit.jupiter.api.Test;

/** What a WebSub task carries when attempted: the topic's current document, whatever the task was made for. */
class HubPayloadsTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final String BASE = "https://f.test";
  private static final String TOPIC = BASE + "/feeds/reports.atom";
  private final Map<String, CachedDocument> documents = new ConcurrentHashMap<>();
  private final TopicCatalog catalog = new TopicCatalog(BASE, documents::containsKey);
  private final HubPayloads payloads = new HubPayloads(catalog,
      path -> Future.succeededFuture(Optional.ofNullable(documents.get(path))));
  private final HubSubscription sub = new HubSubscription(HubSubscription.keyOf(TOPIC, "https://s.test/cb"), TOPIC,
      "https://s.test/cb", 60, NOW.plusSeconds(60), null, NOW, NOW);

  private static CachedDocument atom(String body) {
    return CachedDocument.of(200, "application/atom+xml; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), NOW, NOW)
        .withLink("<https://f.test/websub>; rel=\"hub\", <" + TOPIC + ">; rel=\"self\"");
  }

  /** The task as the engine reads it back from the tasks topic. */
  private DeliveryTask taskFor(CachedDocument doc) {
    List<byte[]> written = new java.util.ArrayList<>();
    new EngineDeliveries(new DeliveryQueue((topic, key, value) -> {
      written.add(value);
      return Future.<RecordMetadata>succeededFuture(new RecordMetadata(new TopicPartition(topic, 0), 0, 0, 0, 0, 0));
    }, DeliveryEngineSettings.from(Config.of(Map.of()))), java.time.Clock.systemUTC()).enqueue(TOPIC, doc, List.of(sub));
    return TaskCodec.decode(written.get(0));
  }

  private static String body(DeliveryTask t) {
    return new String(t.payload(), StandardCharsets.UTF_8);
  }

  @Test
  void aTaskIsSentWithTheCurrentDocumentItsContentTypeBothLinksAndADeliveryId() {
    CachedDocument doc = atom("<feed>v1</feed>");
    documents.put("/feeds/reports.atom", doc);

    DeliveryTask sent = payloads.resolve(taskFor(doc)).await();

    assertThat(body(sent)).isEqualTo("<feed>v1</feed>");
    assertThat(sent.contentType()).isEqualTo("application/atom+xml; charset=utf-8");
    assertThat(sent.headers().get("Link")).containsExactly("<https://f.test/websub>; rel=\"hub\"",
        "<" + TOPIC + ">; rel=\"self\"");
    assertThat(sent.headers().get(HubPayloads.DELIVERY_HEADER))
        .containsExactly(EngineDeliveries.messageId(sub.key(), doc.etag()));
  }

  @Test
  void anOlderTaskDeliversTheLatestDocumentWithTheLatestOnesDeliveryId() {
    CachedDocument v1 = atom("<feed>v1</feed>");
    CachedDocument v2 = atom("<feed>v2</feed>");
    DeliveryTask older = taskFor(v1);
    DeliveryTask newer = taskFor(v2);
    documents.put("/feeds/reports.atom", v2);

    DeliveryTask olderSent = payloads.resolve(older.nextAttempt(0)).await();
    DeliveryTask newerSent = payloads.resolve(newer).await();

    assertThat(body(olderSent)).isEqualTo("<feed>v2</feed>");
    assertThat(olderSent.headers().get(HubPayloads.DELIVERY_HEADER))
        .as("the subscriber can drop the repeat").isEqualTo(newerSent.headers().get(HubPayloads.DELIVERY_HEADER));
    assertThat(olderSent.labels()).as("the attempt log still says what the task was made for")
        .containsEntry("etag", v1.etag());
  }

  @Test
  void aTaskOfAFeedThatIsGoneIsSkippedWithAReason() {
    DeliveryTask task = taskFor(atom("<feed/>"));

    Throwable failure = payloads.resolve(task).cause();

    assertThat(failure).isInstanceOf(PayloadGoneException.class).hasMessageContaining(TOPIC);
  }

  @Test
  void aDocumentThatCannotBeReadNowFailsTheResolutionToBeRetried() {
    HubPayloads failing = new HubPayloads(catalog, path -> Future.failedFuture(new IllegalStateException("busy")));

    Throwable failure = failing.resolve(taskFor(atom("<feed/>"))).cause();

    assertThat(failure).isNotInstanceOf(PayloadGoneException.class).hasMessage("busy");
  }

  @Test
  void aTaskMadeForANewerDocumentThanThisInstanceHasIsRetriedNotSentOlder() {
    CachedDocument behind = CachedDocument.of(200, "application/atom+xml; charset=utf-8",
        "<feed>v1</feed>".getBytes(StandardCharsets.UTF_8), NOW, NOW);
    CachedDocument ahead = CachedDocument.of(200, "application/atom+xml; charset=utf-8",
        "<feed>v2</feed>".getBytes(StandardCharsets.UTF_8), NOW.plusSeconds(5), NOW.plusSeconds(5));
    documents.put("/feeds/reports.atom", behind); // this instance's view has not applied the change yet

    Throwable failure = payloads.resolve(taskFor(ahead)).cause();

    assertThat(failure).isInstanceOf(org.bulletin.feed.content.ContentUnavailableException.class)
        .isNotInstanceOf(PayloadGoneException.class).hasMessageContaining("not reached the change");
    documents.put("/feeds/reports.atom", ahead);
    assertThat(body(payloads.resolve(taskFor(ahead)).await())).isEqualTo("<feed>v2</feed>");
  }
}
