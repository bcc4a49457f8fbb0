package org.bulletin.producer.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.bulletin.testkit.KafkaBroker;
import org.bulletin.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two running producer instances on one broker: what one publishes, the other corrects and
 * retracts at once, although its index follower has not read it yet.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TwoInstancesIT {
  private TestProducer a;
  private TestProducer b;

  @BeforeEach
  void start(KafkaBroker broker) {
    String topic = "it-two-" + UUID.randomUUID();
    a = new TestProducer(broker.bootstrapServers(), Map.of("topics.reports", topic));
    // B's follower sees new records only when a fetch returns, about 1.5 s after it was sent
    // (it asks for more bytes than there are): without a read barrier B would answer 404.
    b = new TestProducer(broker.bootstrapServers(), Map.of("topics.reports", topic,
        "kafka.fetch.min.bytes", String.valueOf(16 * 1024 * 1024), "kafka.fetch.max.wait.ms", "1500"));
    // Both indexes built (the topic is empty): a request for an unknown id answers 404.
    assertThat(send(b, HttpMethod.DELETE, "/v1/reports/warm-up", null).statusCode()).isEqualTo(404);
    assertThat(send(a, HttpMethod.DELETE, "/v1/reports/warm-up", null).statusCode()).isEqualTo(404);
  }

  @AfterEach
  void stop() {
    a.close();
    b.close();
  }

  private static String report(String id, String body) {
    return "{\"id\":\"" + id + "\",\"title\":\"Flood prevention\",\"publishedDate\":\"2024-03-05\",\"body\":[\""
        + body + "\"]}";
  }

  private static HttpResponse<Buffer> send(TestProducer to, HttpMethod method, String path, String json) {
    var request = to.client.request(method, to.port, "127.0.0.1", path)
        .putHeader("Authorization", "Bearer " + TestProducer.TOKEN);
    if (json == null) {
      return request.send().await();
    }
    return request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(json)).await();
  }

  @Test
  void aReportPublishedOnOneInstanceIsCorrectedAndRetractedOnTheOtherAtOnce() {
    HttpResponse<Buffer> published = send(a, HttpMethod.POST, "/v1/reports", report("erqi-flood", "First."));
    assertThat(published.statusCode()).as(published.bodyAsString()).isEqualTo(202);

    HttpResponse<Buffer> corrected = send(b, HttpMethod.PUT, "/v1/reports/erqi-flood", report("erqi-flood", "Second."));
    assertThat(corrected.statusCode()).as(corrected.bodyAsString()).isEqualTo(202);
    assertThat(corrected.bodyAsJsonObject().getString("type")).isEqualTo("corrected");
    HttpResponse<Buffer> retracted = send(b, HttpMethod.DELETE, "/v1/reports/erqi-flood", null);
    assertThat(retracted.statusCode()).as(retracted.bodyAsString()).isEqualTo(202);
    assertThat(retracted.bodyAsJsonObject().getString("type")).isEqualTo("retracted");
  }

  @Test
  void aReportRepublishedOnOneInstanceIsNoLongerRetractedOnTheOther() {
    assertThat(send(b, HttpMethod.POST, "/v1/reports", report("erqi-flood", "First.")).statusCode()).isEqualTo(202);
    assertThat(send(b, HttpMethod.DELETE, "/v1/reports/erqi-flood", null).statusCode()).isEqualTo(202);
    // A has not necessarily read the retraction; its content differs anyway, so it writes.
    assertThat(send(a, HttpMethod.POST, "/v1/reports", report("erqi-flood", "Again.")).statusCode()).isEqualTo(202);

    HttpResponse<Buffer> corrected = send(b, HttpMethod.PUT, "/v1/reports/erqi-flood", report("erqi-flood", "Third."));
    assertThat(corrected.statusCode()).as("B's own index still says retracted: " + corrected.bodyAsString())
        .isEqualTo(202);
  }

  @Test
  void aReportNobodyPublishedIsStill404OnEitherInstance() {
    assertThat(send(a, HttpMethod.POST, "/v1/reports", report("erqi-flood", "First.")).statusCode()).isEqualTo(202);

    for (TestProducer instance : new TestProducer[] {a, b}) {
      for (HttpResponse<Buffer> r : new HttpResponse[] {
          send(instance, HttpMethod.PUT, "/v1/reports/never-published", report("never-published", "B.")),
          send(instance, HttpMethod.DELETE, "/v1/reports/never-published", null)}) {
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(404);
        assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
        assertThat(r.bodyAsJsonObject().getString("code")).isEqualTo("unknown-report");
      }
    }
  }
}
