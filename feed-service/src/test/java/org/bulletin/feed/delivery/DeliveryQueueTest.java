package org.bulletin.feed.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bulletin.platform.config.Config;
import org.junit.jupiter.api.Test;

class DeliveryQueueTest {
  private final DeliveryEngineSettings settings = DeliveryEngineSettings.from(Config.of(Map.of(
      "webhook.task.max.bytes", "2048")));
  private final FakeSender sender = new FakeSender();
  private final DeliveryQueue queue = new DeliveryQueue(sender, settings);

  private static DeliveryTask push(String endpointId, String body) {
    return DeliveryTask.first("websub", endpointId, "m-" + endpointId, Map.of(), Instant.now(), "application/rss+xml",
        Map.of(), body.getBytes(StandardCharsets.UTF_8), 0, -1, -1);
  }

  @Test
  void tasksAreWrittenToTheTasksTopicKeyedByTheirEndpoint() {
    DeliveryTask first = push("ws_1", "<rss/>");
    queue.enqueue(List.of(first, push("ws_2", "<rss/>"))).await();

    assertThat(sender.to(settings.tasks().name())).extracting(FakeSender.Sent::key).containsExactly("ws_1", "ws_2");
    assertThat(TaskCodec.decode(sender.sent.get(0).value())).isEqualTo(first);
  }

  @Test
  void aTaskOverTheSizeLimitFailsTheEnqueueAndIsNotWritten() {
    var result = queue.enqueue(List.of(push("ws_1", "x".repeat(4000))));

    assertThat(result.failed()).isTrue();
    assertThat(result.cause()).hasMessageContaining("webhook.task.max.bytes");
    assertThat(sender.sent).isEmpty();
  }

  @Test
  void aFailedWriteFailsTheEnqueue() {
    sender.failTopic = t -> true;

    var result = queue.enqueue(List.of(push("ws_1", "<rss/>")));

    assertThat(result.failed()).isTrue();
  }
}
