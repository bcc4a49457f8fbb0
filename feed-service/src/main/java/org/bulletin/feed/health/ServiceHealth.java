package org.bulletin.feed.health;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Supplier;
import org.bulletin.platform.kafka.ConsumerThread;
import org.bulletin.platform.kafka.KafkaProbe;

/**
 * What {@code /health/live} and {@code /health/ready} say, each component with its state and the
 * reason when it is not UP. Live is DOWN only when a consumer thread is dead or stuck (a restart
 * of the instance is the cure); ready is DOWN whenever this instance's feeds or webhooks are not
 * current: a thread recovering, Kafka unreachable, the view or the subscriptions not loaded yet.
 * Thread-safe: reads volatile state only.
 */
public final class ServiceHealth {
  /** A readiness condition besides the threads: null when met, else why not. */
  public record Check(String name, Supplier<String> problem) {}

  private final Supplier<List<ConsumerThread>> threads;
  private final KafkaProbe kafka;
  private final List<Check> checks;

  public ServiceHealth(Supplier<List<ConsumerThread>> threads, KafkaProbe kafka, List<Check> checks) {
    this.threads = threads;
    this.kafka = kafka;
    this.checks = List.copyOf(checks);
  }

  /** A report with {@code status} UP or DOWN and its components. */
  public record Report(boolean up, JsonObject json) {}

  public Report live() {
    JsonObject components = new JsonObject();
    boolean up = true;
    for (ConsumerThread t : threads.get()) {
      ConsumerThread.Health h = t.health();
      boolean ok = !h.dead();
      up &= ok;
      components.put(h.name(), thread(h, ok));
    }
    return new Report(up, new JsonObject().put("status", up ? "UP" : "DOWN").put("components", components));
  }

  public Report ready() {
    JsonObject components = new JsonObject();
    boolean up = true;
    for (ConsumerThread t : threads.get()) {
      ConsumerThread.Health h = t.health();
      boolean ok = h.ok();
      up &= ok;
      components.put(h.name(), thread(h, ok));
    }
    KafkaProbe.Status k = kafka.status();
    up &= k.reachable();
    JsonObject kafkaJson = new JsonObject().put("status", k.reachable() ? "UP" : "DOWN");
    if (!k.reachable()) {
      kafkaJson.put("reason", k.reason()).put("since", k.since().toString());
    }
    components.put("kafka", kafkaJson);
    for (Check c : checks) {
      String problem = c.problem().get();
      up &= problem == null;
      components.put(c.name(), problem == null ? new JsonObject().put("status", "UP")
          : new JsonObject().put("status", "DOWN").put("reason", problem));
    }
    return new Report(up, new JsonObject().put("status", up ? "UP" : "DOWN").put("components", components));
  }

  private static JsonObject thread(ConsumerThread.Health h, boolean ok) {
    JsonObject json = new JsonObject().put("status", ok ? "UP" : "DOWN").put("state", h.state().name())
        .put("restarts", h.restarts());
    if (h.reason() != null && !ok) {
      json.put("reason", h.reason());
    }
    return json;
  }
}
