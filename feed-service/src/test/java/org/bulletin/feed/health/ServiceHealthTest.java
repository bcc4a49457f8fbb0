package org.bulletin.feed.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bulletin.platform.config.Config;
import org.bulletin.platform.config.KafkaSettings;
import org.bulletin.platform.kafka.ConsumerThread;
import org.bulletin.platform.kafka.KafkaProbe;
import org.junit.jupiter.api.Test;

class ServiceHealthTest {
  private final KafkaProbe probe = new KafkaProbe(KafkaSettings.from(Config.of(Map.of())), Duration.ofSeconds(1));

  private static ConsumerThread thread(String name, Runnable body) {
    return new ConsumerThread(name) {
      @Override
      protected void work() throws InterruptedException {
        body.run();
        progress();
        while (running()) {
          progress();
          pause(10);
        }
      }
    };
  }

  private static void await(ConsumerThread t, ConsumerThread.State state) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (t.health().state() != state) {
      assertThat(System.nanoTime()).as(t.name() + " " + state).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void aConsumerThreadKilledByAnErrorTurnsLivenessAndReadinessDownWithTheReason() throws Exception {
    ConsumerThread view = thread("bulletin-report-consumer", () -> {
      throw new OutOfMemoryError("Java heap space");
    });
    ConsumerThread fanOut = thread("bulletin-webhook-fanout", () -> { });
    ServiceHealth health = new ServiceHealth(() -> List.of(view, fanOut), probe,
        List.of(new ServiceHealth.Check("feeds", () -> null)));
    view.start();
    fanOut.start();
    try {
      await(view, ConsumerThread.State.FAILED);
      await(fanOut, ConsumerThread.State.RUNNING);
      ServiceHealth.Report live = health.live();
      assertThat(live.up()).isFalse();
      JsonObject component = live.json().getJsonObject("components").getJsonObject("bulletin-report-consumer");
      assertThat(component.getString("status")).isEqualTo("DOWN");
      assertThat(component.getString("state")).isEqualTo("FAILED");
      assertThat(component.getString("reason")).contains("OutOfMemoryError");
      assertThat(live.json().getJsonObject("components").getJsonObject("bulletin-webhook-fanout").getString("status"))
          .isEqualTo("UP");
      assertThat(health.ready().up()).isFalse();
    } finally {
      view.close();
      fanOut.close();
    }
  }

  @Test
  void aRecoveringThreadOrAnUnreachableKafkaTurnsOnlyReadinessDown() throws Exception {
    ConsumerThread tailer = thread("bulletin-tail-subscriptions", () -> { });
    ServiceHealth health = new ServiceHealth(() -> List.of(tailer), probe, List.of());
    tailer.start();
    try {
      await(tailer, ConsumerThread.State.RUNNING);
      assertThat(health.live().up()).isTrue();
      ServiceHealth.Report ready = health.ready();
      assertThat(ready.up()).as("the probe never reached Kafka").isFalse();
      assertThat(ready.json().getJsonObject("components").getJsonObject("kafka").getString("reason"))
          .contains("does not answer");
    } finally {
      tailer.close();
    }
  }
}
