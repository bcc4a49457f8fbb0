package org.bulletin.feed.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bulletin.feed.FeedFixture;
import org.bulletin.testkit.KafkaBroker;
import org.bulletin.testkit.KafkaBrokerExtension;
import org.bulletin.testkit.TopicReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Retries through the retry tiers of a real broker: hops, due times and the pending gauge. */
@ExtendWith(KafkaBrokerExtension.class)
class RetryTiersIT {
  private static final Pattern PENDING = Pattern.compile("(?m)^bulletin_webhook_pending_retries(?:\\{[^}]*\\})? (\\S+)$");

  private static FeedFixture fixture(KafkaBroker broker, String schedule) {
    return new FeedFixture(broker.bootstrapServers(), Map.of(
        "webhook.allow.http", "true",
        "webhook.allowlist", "127.0.0.1/32",
        "webhook.retry.schedule", schedule,
        "webhook.retry.jitter", "0.1",
        "webhook.timeout", "5s"));
  }

  private static String subscribe(FeedFixture support, TestReceiver receiver, boolean ordered) {
    HttpResponse<Buffer> r = support.api(HttpMethod.POST, "/v1/subscriptions",
        new JsonObject().put("url", receiver.url()).put("ordered", ordered));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject().getString("id");
  }

  @Test
  void aRetryAfterBetweenTiersHopsThroughTheShorterTierAndComesNoEarlierThanAsked(KafkaBroker broker)
      throws Exception {
    try (FeedFixture support = fixture(broker, "0s,1s,1h");
        TestReceiver receiver = new TestReceiver(n -> n == 1 ? 503 : 200, Map.of("Retry-After", "3"))) {
      support.startFeed();
      subscribe(support, receiver, false);

      support.publishSample("huiji-economic-operation-meeting.txt");

      await("the retry", Duration.ofSeconds(60), () -> receiver.received.size() >= 2);
      long waited = receiver.received.get(1).atMillis() - receiver.received.get(0).atMillis();
      assertThat(waited).as("Retry-After: 3 is honoured, never shortened").isGreaterThanOrEqualTo(3_000);
      assertThat(receiver.received.get(1).webhookId()).isEqualTo(receiver.received.get(0).webhookId());
      // Hops of exactly one second each in the 1 s tier (the last part below a second waited in
      // memory), not one record that blocks the tier for 3 s.
      assertThat(TopicReader.read(broker.bootstrapServers(),
          support.setting("topics.deliveries.retry.prefix") + "-1s", 2, Duration.ofSeconds(20)))
          .hasSizeBetween(2, 3);
      assertThat(TopicReader.read(broker.bootstrapServers(),
          support.setting("topics.deliveries.retry.prefix") + "-1h", 1, Duration.ofSeconds(2))).isEmpty();
    }
  }

  @Test
  void pendingRetriesCountsRetriesInTiersAndInMemory(KafkaBroker broker) throws Exception {
    try (FeedFixture support = fixture(broker, "0s,1h,1h");
        TestReceiver unordered = new TestReceiver(n -> 500);
        TestReceiver ordered = new TestReceiver(n -> 500)) {
      FeedFixture.Feed feed = support.startFeed();
      subscribe(support, unordered, false);
      subscribe(support, ordered, true);

      support.publishSample("huiji-economic-operation-meeting.txt");

      await("both endpoints tried", Duration.ofSeconds(60),
          () -> unordered.received.size() == 1 && ordered.received.size() == 1);
      // One waits in the 1 h tier, the ordered one in memory (a tier would reorder its events).
      await("both retries counted", Duration.ofSeconds(30), () -> pending(support, feed) == 2);
    }
  }

  private static double pending(FeedFixture support, FeedFixture.Feed feed) {
    String metrics = support.client().get(feed.managementPort(), "127.0.0.1", "/metrics").send().await()
        .bodyAsString();
    Matcher m = PENDING.matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
