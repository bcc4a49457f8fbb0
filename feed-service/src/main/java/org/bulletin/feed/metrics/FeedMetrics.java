package org.bulletin.feed.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The feed service's Prometheus metrics; thread-safe. */
public final class FeedMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicLong lag = new AtomicLong();
  private final AtomicLong ready = new AtomicLong();
  private final LongAdder requests = new LongAdder();
  private final LongAdder notModified = new LongAdder();
  private final LongAdder renderFailures = new LongAdder();
  private final java.util.Map<String, Counter> requestCounters = new java.util.concurrent.ConcurrentHashMap<>();
  private final Timer render;
  private final java.util.List<Object> held = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Timer deliveryLatency;

  public FeedMetrics() {
    Gauge.builder("bulletin_feed_consumer_lag", lag, AtomicLong::get)
        .description("Records in the reports topic not yet applied to the view").register(registry);
    Gauge.builder("bulletin_feed_ready", ready, AtomicLong::get)
        .description("1 once the view caught up with the topic").register(registry);
    Gauge.builder("bulletin_feed_not_modified_ratio", this, FeedMetrics::notModifiedRatio)
        .description("Share of feed and page requests answered 304").register(registry);
    deliveryLatency = Timer.builder("bulletin_webhook_delivery_latency_seconds")
        .description("From publication to the first delivery attempt").publishPercentileHistogram()
        .register(registry);
    render = Timer.builder("bulletin_feed_render_seconds").description("Time to render documents after a batch")
        .register(registry);
  }

  public void consumed(String type) {
    consumed(type, 1);
  }

  /** Any thread; the counter is looked up once per type (catch-up counts every record). */
  public void consumed(String type, int count) {
    consumedCounters.computeIfAbsent(type, t -> Counter.builder("bulletin_feed_events_consumed_total").tag("type", t)
        .description("Report events applied, recognised as duplicates, or skipped as superseded while catching up")
        .register(registry)).increment(count);
  }

  private final java.util.concurrent.ConcurrentHashMap<String, Counter> consumedCounters =
      new java.util.concurrent.ConcurrentHashMap<>();

  public void duplicates(int count) {
    Counter.builder("bulletin_feed_duplicate_events_total").register(registry).increment(count);
  }

  public void deadLettered(String reason) {
    Counter.builder("bulletin_feed_dead_lettered_total").tag("reason", reason)
        .description("Records sent to the dead-letter topic").register(registry).increment();
  }

  /**
   * A document, or one report within it, that could not be rendered: the document kept its
   * previous bytes or left the report out. {@code what} is rss, atom, json, html or entry.
   */
  public void renderFailed(String what) {
    renderFailures.increment();
    Counter.builder("bulletin_feed_render_failures_total").tag("document", what)
        .description("Documents (or reports within them) that could not be rendered").register(registry).increment();
  }

  /** Render failures since start, for health. */
  public long renderFailures() {
    return renderFailures.sum();
  }

  public void request(String feed, int status) {
    requests.increment();
    if (status == 304) {
      notModified.increment();
    }
    // Cached per label and status: a registry lookup by tags on every request showed in profiles.
    requestCounters.computeIfAbsent(feed + "|" + status, k -> Counter.builder("bulletin_feed_requests_total")
        .tag("feed", feed).tag("status", String.valueOf(status))
        .description("Feed and page requests by document kind and status").register(registry)).increment();
  }

  /** A page answered 503 because its reports could not be read back from Kafka in time. */
  public void readBackFailed() {
    Counter.builder("bulletin_feed_read_back_failures_total").register(registry).increment();
  }

  public void overloaded(String executor) {
    Counter.builder("bulletin_feed_overloaded_total").tag("executor", executor)
        .description("Requests answered 503 because a bounded executor was full").register(registry).increment();
  }

  public void attempt(String outcome) {
    attempt("webhook", outcome);
  }

  private final java.util.Map<String, Counter[]> attemptCounters = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * A delivery attempt (or skip) of a channel: {@code bulletin_delivery_attempts_total{channel,outcome}};
   * webhooks also keep counting in {@code bulletin_webhook_attempts_total{outcome}}, the name dashboards know.
   */
  public void attempt(String channel, String outcome) {
    for (Counter c : attemptCounters.computeIfAbsent(channel + "|" + outcome, k -> attemptCountersOf(channel, outcome))) {
      c.increment();
    }
  }

  private Counter[] attemptCountersOf(String channel, String outcome) {
    Counter all = Counter.builder("bulletin_delivery_attempts_total").tag("channel", channel).tag("outcome", outcome)
        .description("Delivery attempts by channel and outcome").register(registry);
    if (!channel.equals("webhook")) {
      return new Counter[] {all};
    }
    return new Counter[] {all, Counter.builder("bulletin_webhook_attempts_total").tag("outcome", outcome)
        .description("Webhook delivery attempts by outcome").register(registry)};
  }

  /**
   * One step of a WebSub request: {@code mode} subscribe, unsubscribe or denied; {@code outcome}
   * accepted, refused (4xx at once), verified, failed (verification), sent (a denial), expired (lease),
   * gone (the callback answered 410) or ended (it failed longer than webhook.disable.after).
   */
  public void websub(String mode, String outcome) {
    Counter.builder("bulletin_websub_requests_total").tag("mode", mode).tag("outcome", outcome)
        .description("WebSub hub requests and verifications, by mode and outcome").register(registry).increment();
  }

  /** A retry made one more hop through a retry tier on its way to its due time. */
  public void retryHop() {
    Counter.builder("bulletin_webhook_retry_hops_total")
        .description("Retries written to a further retry tier because their due time was a tier or more away")
        .register(registry).increment();
  }

  /**
   * A retry a tier released on an instance that does not own its endpoint: written to the tasks
   * topic for the owner to attempt.
   */
  public void retryHandedOver() {
    Counter.builder("bulletin_webhook_retry_handovers_total")
        .description("Released retries written to the tasks topic for the instance that owns their endpoint")
        .register(registry).increment();
  }

  /** A delivery task that cannot be delivered (unreadable, unknown subscription, too large): dead-lettered. */
  public void poisonTask(String reason) {
    Counter.builder("bulletin_webhook_poison_tasks_total").tag("reason", reason)
        .description("Delivery tasks dead-lettered without an attempt, by reason").register(registry).increment();
  }

  /** A consumer thread's restarts after failures, read at each scrape. */
  public void threadRestarts(String thread, java.util.function.Supplier<Number> restarts) {
    held.add(restarts); // function counters only hold their object weakly
    io.micrometer.core.instrument.FunctionCounter.builder("bulletin_consumer_thread_restarts_total", restarts,
        s -> s.get().doubleValue()).tag("thread", thread)
        .description("Times a consumer thread started again with new clients after a failure").register(registry);
  }

  /** 1 while a consumer thread runs normally, 0 while it recovers, is stalled or is dead. */
  public void threadUp(String thread, java.util.function.Supplier<Number> up) {
    Gauge.builder("bulletin_consumer_thread_up", up).tag("thread", thread)
        .description("1 while the consumer thread runs normally").register(registry);
  }

  /** From the event's time to the start of its first attempt. */
  public void deliveryLatency(java.time.Duration latency) {
    deliveryLatency.record(latency.isNegative() ? java.time.Duration.ZERO : latency);
  }

  /** A gauge read from {@code supplier} at each scrape. */
  /** A counter read from {@code count} at each scrape. */
  public void functionCounter(String name, String description, java.util.function.Supplier<Number> count) {
    held.add(count); // function counters only hold their object weakly
    io.micrometer.core.instrument.FunctionCounter.builder(name, count, s -> s.get().doubleValue())
        .description(description).register(registry);
  }

  public void gauge(String name, String description, java.util.function.Supplier<Number> supplier) {
    Gauge.builder(name, supplier).description(description).register(registry);
  }

  public void lag(long value) {
    lag.set(value);
  }

  public void ready(boolean value) {
    ready.set(value ? 1 : 0);
  }

  public Timer renderTimer() {
    return render;
  }

  private double notModifiedRatio() {
    long total = requests.sum();
    return total == 0 ? 0 : (double) notModified.sum() / total;
  }

  public String scrape() {
    return registry.scrape();
  }
}
