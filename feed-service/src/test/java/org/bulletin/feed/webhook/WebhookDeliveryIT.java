package org.bulletin.feed.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.bulletin.feed.FeedFixture;
import org.bulletin.schema.EventJson;
import org.bulletin.testkit.KafkaBroker;
import org.bulletin.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class WebhookDeliveryIT {
  private FeedFixture support;

  @BeforeEach
  void start(KafkaBroker broker, org.junit.jupiter.api.TestInfo test) {
    // The silent-receiver test needs attempts that outlast it: were the healthy endpoint held
    // behind the silent one, it could not get its events before these time out.
    String timeout = test.getDisplayName().startsWith("aReceiverThatNeverAnswers") ? "60s" : "2s";
    support = new FeedFixture(broker.bootstrapServers(), Map.of(
        "webhook.allow.http", "true",
        "webhook.allowlist", "127.0.0.1/32",
        "webhook.retry.schedule", "0s,300ms,300ms,300ms,1s",
        "webhook.retry.jitter", "0.1",
        "webhook.timeout", timeout,
        // A killed instance leaves its groups after this, so its work moves on quickly.
        "kafka.session.timeout.ms", "6000",
        "kafka.heartbeat.interval.ms", "1000"));
  }

  @AfterEach
  void stop() {
    support.close();
  }

  private JsonObject subscribe(TestReceiver receiver, JsonObject filters) {
    JsonObject body = new JsonObject().put("url", receiver.url()).put("description", "test receiver");
    if (filters != null) {
      body.put("filters", filters);
    }
    HttpResponse<Buffer> r = support.api(HttpMethod.POST, "/v1/subscriptions", body);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject();
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static String type(TestReceiver.Received r) {
    try {
      return EventJson.mapper().readTree(r.body()).path("type").asText();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String reportId(TestReceiver.Received r) {
    try {
      JsonNode body = EventJson.mapper().readTree(r.body());
      return body.at("/data/id").asText();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void assertSigned(TestReceiver receiver, String secret) throws Exception {
    Webhook verifier = new Webhook(secret);
    for (TestReceiver.Received r : receiver.received) {
      verifier.verify(r.body(), r.headers());
      assertThat(r.webhookId()).startsWith("msg_");
    }
  }

  @Test
  void threeReceiversWithDifferentFiltersGetExactlyTheirEventsSigned() throws Exception {
    support.startFeed();
    try (TestReceiver published = TestReceiver.ok(); TestReceiver huiji = TestReceiver.ok();
        TestReceiver environment = TestReceiver.ok()) {
      support.seedFilterValues("Huiji District", "environment"); // before the subscriptions: not delivered
      String s1 = subscribe(published, new JsonObject().put("types", new JsonArray().add("published"))).getString("secret");
      String s2 = subscribe(huiji, new JsonObject().put("districts", new JsonArray().add("Huiji District"))).getString("secret");
      String s3 = subscribe(environment, new JsonObject().put("tags", new JsonArray().add("environment"))).getString("secret");

      String h = support.publishSample("huiji-economic-operation-meeting.txt");
      String g = support.publishSample("guancheng-environment-notice.txt");
      String e = support.publishSample("erqi-flood-prevention-meeting.txt");
      await("published deliveries", Duration.ofSeconds(20), () -> published.received.size() >= 3 && huiji.received.size() >= 1
          && environment.received.size() >= 1);
      support.ingest(HttpMethod.PUT, "/v1/reports/" + g, "text/plain",
          support.sample("guancheng-environment-notice.txt").replace("third quarter", "third quarter of 2023"));
      support.ingest(HttpMethod.DELETE, "/v1/reports/" + h, null, null);
      await("correction and retraction", Duration.ofSeconds(20),
          () -> huiji.received.size() >= 2 && environment.received.size() >= 2);
      Thread.sleep(1500); // anything extra would arrive by now

      assertThat(published.received).extracting(WebhookDeliveryIT::type).containsOnly("report.published");
      assertThat(published.received).extracting(WebhookDeliveryIT::reportId).containsExactlyInAnyOrder(h, g, e);
      assertThat(huiji.received).extracting(r -> type(r) + " " + reportId(r))
          .containsExactly("report.published " + h, "report.retracted " + h);
      assertThat(environment.received).extracting(r -> type(r) + " " + reportId(r))
          .containsExactly("report.published " + g, "report.corrected " + g);
      assertSigned(published, s1);
      assertSigned(huiji, s2);
      assertSigned(environment, s3);
    }
  }

  @Test
  void retriesAfterServerErrorsWithTheSameWebhookIdAndLogsEveryAttempt() throws Exception {
    support.startFeed();
    try (TestReceiver flaky = new TestReceiver(n -> n <= 3 ? 500 : 200)) {
      JsonObject sub = subscribe(flaky, null);
      support.publishSample("erqi-flood-prevention-meeting.txt");
      await("four attempts", Duration.ofSeconds(20), () -> flaky.received.size() >= 4);
      Set<String> ids = flaky.received.stream().map(TestReceiver.Received::webhookId).collect(Collectors.toSet());
      assertThat(ids).hasSize(1);
      long firstToLast = flaky.received.get(3).atMillis() - flaky.received.get(0).atMillis();
      assertThat(firstToLast).as("three retry delays of about 300 ms").isGreaterThanOrEqualTo(700);

      String path = "/v1/subscriptions/" + sub.getString("id") + "/attempts";
      await("attempt log", Duration.ofSeconds(10), () -> support.api(HttpMethod.GET, path, null).bodyAsJsonObject()
          .getJsonArray("items").size() >= 4);
      JsonArray attempts = support.api(HttpMethod.GET, path, null).bodyAsJsonObject().getJsonArray("items");
      assertThat(attempts.stream().map(a -> ((JsonObject) a).getString("outcome")).toList())
          .containsExactly("delivered", "retrying", "retrying", "retrying");
      assertThat(attempts.stream().map(a -> ((JsonObject) a).getInteger("status")).toList())
          .containsExactly(200, 500, 500, 500);
      JsonObject last = attempts.getJsonObject(0);
      assertThat(last.getInteger("attempt")).isEqualTo(4);
      assertThat(last.getString("responseSnippet")).isEqualTo("answer 200");
      String eventId = last.getString("eventId");
      assertThat(support.api(HttpMethod.GET, "/v1/events/" + eventId + "/attempts", null).bodyAsJsonObject()
          .getJsonArray("items")).hasSize(4);
    }
  }

  @Test
  void aReceiverThatNeverAnswersDoesNotDelayAnother() throws Exception {
    support.startFeed();
    try (TestReceiver silent = new TestReceiver(n -> TestReceiver.SILENT); TestReceiver healthy = TestReceiver.ok()) {
      JsonObject silentSubscription = subscribe(silent, null);
      subscribe(healthy, null);
      List<String> files = List.of("huiji-economic-operation-meeting.txt", "guancheng-environment-notice.txt",
          "erqi-flood-prevention-meeting.txt", "zhongyuan-year-end-review.txt", "jinshui-urban-renewal-conference.txt",
          "xinzheng-investment-promotion-meeting.txt", "huiji-epidemic-prevention-meeting.txt");
      for (String f : files) {
        support.publishSample(f);
      }
      await("healthy receiver got all 7", Duration.ofSeconds(40), () -> healthy.received.size() >= 7);
      // The silent endpoint's attempts (60 s deadline) are still open: nothing waited for them.
      String silentId = silentSubscription.getString("id");
      assertThat(support.api(HttpMethod.GET, "/v1/subscriptions/" + silentId + "/attempts", null).bodyAsJsonObject()
          .getJsonArray("items")).as("no attempt of the silent endpoint has ended yet").isEmpty();
      assertThat(silent.received).isNotEmpty();
    }
  }

  @Test
  void a410DisablesTheEndpointAndItCanBeReEnabled() throws Exception {
    support.startFeed();
    try (TestReceiver gone = new TestReceiver(n -> n == 1 ? 410 : 200)) {
      String id = subscribe(gone, null).getString("id");
      support.publishSample("guancheng-environment-notice.txt");
      await("disabled", Duration.ofSeconds(20), () -> !support.api(HttpMethod.GET, "/v1/subscriptions/" + id, null)
          .bodyAsJsonObject().getBoolean("enabled"));
      JsonObject sub = support.api(HttpMethod.GET, "/v1/subscriptions/" + id, null).bodyAsJsonObject();
      assertThat(sub.getString("disabledReason")).contains("410");
      assertThat(sub.containsKey("secrets")).isFalse();
      assertThat(gone.received).hasSize(1);

      assertThat(support.api(HttpMethod.POST, "/v1/subscriptions/" + id + "/enable", null).bodyAsJsonObject()
          .getBoolean("enabled")).isTrue();
      support.publishSample("erqi-flood-prevention-meeting.txt");
      await("delivered after re-enabling", Duration.ofSeconds(20), () -> gone.received.size() >= 2);
    }
  }

  @Test
  void subscriptionsToMetadataOrPrivateAddressesAreRefused() {
    for (String url : List.of("http://169.254.169.254/", "http://10.0.0.1/")) {
      HttpResponse<Buffer> r = support.api(HttpMethod.POST, "/v1/subscriptions", new JsonObject().put("url", url));
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(r.bodyAsJsonObject().getString("code")).isEqualTo("forbidden-address");
      assertThat(r.bodyAsJsonObject().getString("detail")).contains(url.substring(7, url.length() - 1));
    }
    HttpResponse<Buffer> invalid = support.api(HttpMethod.POST, "/v1/subscriptions", new JsonObject()
        .put("filters", new JsonObject().put("types", new JsonArray().add("deleted"))).put("colour", "red"));
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(invalid.bodyAsJsonObject().getJsonArray("errors").stream()
        .map(e -> ((JsonObject) e).getString("pointer")).toList())
        .contains("/url", "/filters/types/0", "/colour");
    assertThat(support.apiWithoutToken(HttpMethod.GET, "/v1/subscriptions").statusCode()).isEqualTo(401);
  }

  @Test
  void killingTheServiceMidFanOutAndRestartingDeliversEveryEventAtLeastOnce() throws Exception {
    support.startFeed(); // serves the API; its own delivery share is part of the group too
    Process victim = support.startFeedProcess();
    try (TestReceiver slow = new TestReceiver(n -> {
      try {
        Thread.sleep(150); // slow enough that the fan-out is in progress when the service dies
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 200;
    })) {
      String id = support.api(HttpMethod.POST, "/v1/subscriptions", new JsonObject().put("url", slow.url())
          .put("ordered", true)).bodyAsJsonObject().getString("id");
      Set<String> expected = new HashSet<>();
      for (int i = 0; i < 20; i++) {
        expected.add(support.publishJson("kill-test-" + i));
      }
      await("some deliveries", Duration.ofSeconds(20), () -> slow.received.size() >= 3);
      victim.destroyForcibly().waitFor(); // SIGKILL: nothing is closed or committed on the way out
      assertThat(slow.received.stream().map(WebhookDeliveryIT::reportId).collect(Collectors.toSet())
          .containsAll(expected)).as("the kill came mid-fan-out").isFalse();

      Process restarted = support.startFeedProcess();
      try {
        await("every event delivered", Duration.ofSeconds(60), () -> slow.received.stream()
            .map(WebhookDeliveryIT::reportId).collect(Collectors.toSet()).containsAll(expected));
        assertThat(support.api(HttpMethod.GET, "/v1/subscriptions/" + id, null).statusCode()).isEqualTo(200);
      } finally {
        restarted.destroyForcibly();
      }
    } finally {
      victim.destroyForcibly();
    }
  }
}
