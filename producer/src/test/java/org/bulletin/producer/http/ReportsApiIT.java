package org.bulletin.producer.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bulletin.schema.CloudEventCodec;
import org.bulletin.schema.EventType;
import org.bulletin.schema.ReportEvent;
import org.bulletin.testkit.KafkaBroker;
import org.bulletin.testkit.KafkaBrokerExtension;
import org.bulletin.testkit.TopicReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class ReportsApiIT {
  private static final String SAMPLE_ID = "2022-04-27-huiji-district-held-economic-operation-analysis-meeting";
  private final CloudEventCodec codec = new CloudEventCodec();
  private String topic;
  private TestProducer producer;
  private KafkaBroker broker;

  @BeforeEach
  void start(KafkaBroker broker) {
    this.broker = broker;
    topic = "it-reports-" + UUID.randomUUID();
    producer = new TestProducer(broker.bootstrapServers(), Map.of("topics.reports", topic));
  }

  @AfterEach
  void stop() {
    producer.close();
  }

  private static String sample() throws Exception {
    return Files.readString(Path.of(System.getProperty("bulletin.repo.root", ".."))
        .resolve("samples/huiji-economic-operation-meeting.txt"));
  }

  private HttpResponse<Buffer> send(io.vertx.core.http.HttpMethod method, String path, String type, String body) {
    var request = producer.client.request(method, producer.port, "127.0.0.1", path)
        .putHeader("Authorization", "Bearer " + TestProducer.TOKEN);
    if (type != null) {
      request.putHeader("Content-Type", type);
    }
    return (body == null ? request.send() : request.sendBuffer(Buffer.buffer(body))).await();
  }

  private List<ConsumerRecord<String, byte[]>> records(int atLeast) {
    return TopicReader.read(broker.bootstrapServers(), topic, atLeast, Duration.ofSeconds(20));
  }

  @Test
  void publishesTheSampleArticleAsACloudEventAfterKafkaAcknowledged() throws Exception {
    HttpResponse<Buffer> response = send(io.vertx.core.http.HttpMethod.POST, "/v1/reports", "text/plain; charset=utf-8",
        sample());

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
    JsonObject accepted = response.bodyAsJsonObject();
    assertThat(accepted.getString("id")).isEqualTo(SAMPLE_ID);
    assertThat(accepted.getString("type")).isEqualTo("published");
    assertThat(response.getHeader("Location")).isEqualTo("http://feeds.test/reports/" + SAMPLE_ID);

    List<ConsumerRecord<String, byte[]>> records = records(1);
    assertThat(records).hasSize(1);
    ConsumerRecord<String, byte[]> record = records.get(0);
    assertThat(record.key()).isEqualTo(SAMPLE_ID);
    assertThat(record.offset()).isEqualTo(accepted.getLong("offset"));
    assertThat(CloudEventCodec.header(record.headers(), "ce_id")).isEqualTo(accepted.getString("eventId"));
    Optional<ReportEvent> event = codec.decode(record);
    assertThat(event).isPresent();
    assertThat(event.get().type()).isEqualTo(EventType.PUBLISHED);
    assertThat(event.get().report().presider().name()).isEqualTo("Wei Dong");
    assertThat(event.get().report().attendees()).hasSize(7);
  }

  @Test
  void sameReportTwiceIsIdempotent() throws Exception {
    JsonObject first = send(io.vertx.core.http.HttpMethod.POST, "/v1/reports", "text/plain", sample()).bodyAsJsonObject();
    JsonObject second = send(io.vertx.core.http.HttpMethod.POST, "/v1/reports", "text/plain", sample()).bodyAsJsonObject();
    assertThat(second.getString("eventId")).isEqualTo(first.getString("eventId"));
    assertThat(second.getString("id")).isEqualTo(first.getString("id"));
  }

  @Test
  void correctionAndRetractionKeepTheKeyAndEndInATombstone() throws Exception {
    send(io.vertx.core.http.HttpMethod.POST, "/v1/reports", "text/plain", sample());
    String corrected = sample().replace("Wei Dong, secretary", "Wei Dong, first secretary");
    HttpResponse<Buffer> put = send(io.vertx.core.http.HttpMethod.PUT, "/v1/reports/" + SAMPLE_ID, "text/plain", corrected);
    assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(202);
    assertThat(put.bodyAsJsonObject().getString("type")).isEqualTo("corrected");
    HttpResponse<Buffer> delete = send(io.vertx.core.http.HttpMethod.DELETE, "/v1/reports/" + SAMPLE_ID,
        "application/json", "{\"reason\":\"published in error\"}");
    assertThat(delete.statusCode()).as(delete.bodyAsString()).isEqualTo(202);

    List<ConsumerRecord<String, byte[]>> records = records(4);
    assertThat(records).hasSize(4).allSatisfy(r -> assertThat(r.key()).isEqualTo(SAMPLE_ID));
    assertThat(codec.decode(records.get(1)).orElseThrow().report().presider().role())
        .isEqualTo("first secretary of the District Party Committee");
    ReportEvent retraction = codec.decode(records.get(2)).orElseThrow();
    assertThat(retraction.type()).isEqualTo(EventType.RETRACTED);
    assertThat(retraction.retraction().reason()).isEqualTo("published in error");
    assertThat(records.get(3).value()).as("tombstone").isNull();
  }

  @Test
  void jsonReportIsPublishedWithItsOwnId() {
    HttpResponse<Buffer> response = send(io.vertx.core.http.HttpMethod.POST, "/v1/reports", "application/json",
        "{\"id\":\"erqi-2024-03-05\",\"title\":\"Erqi District meets\",\"publishedDate\":\"2024-03-05\","
            + "\"district\":\"Erqi District\",\"body\":[\"The meeting was held.\"],\"tags\":[\"economy\"]}");
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
    assertThat(records(1).get(0).key()).isEqualTo("erqi-2024-03-05");
  }

  /** Every record ever written to the topic (nothing is compacted in a test this short). */
  private long recordsWritten() {
    try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(Map.of(
        "bootstrap.servers", broker.bootstrapServers()),
        new org.apache.kafka.common.serialization.StringDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      var partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
      return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  @Test
  void republishingIdenticalContentWritesNothingAndAnswersUnchanged() throws Exception {
    HttpResponse<Buffer> first = send(io.vertx.core.http.HttpMethod.POST, "/v1/reports", "text/plain", sample());
    HttpResponse<Buffer> again = send(io.vertx.core.http.HttpMethod.POST, "/v1/reports", "text/plain", sample());
    HttpResponse<Buffer> sameAsCorrection = send(io.vertx.core.http.HttpMethod.PUT, "/v1/reports/" + SAMPLE_ID,
        "text/plain", sample());

    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(202);
    assertThat(first.bodyAsJsonObject().getString("status")).isEqualTo("accepted");
    for (HttpResponse<Buffer> unchanged : List.of(again, sameAsCorrection)) {
      assertThat(unchanged.statusCode()).as(unchanged.bodyAsString()).isEqualTo(200);
      assertThat(unchanged.bodyAsJsonObject().getString("status")).isEqualTo("unchanged");
      assertThat(unchanged.bodyAsJsonObject().getLong("offset")).isEqualTo(first.bodyAsJsonObject().getLong("offset"));
    }
    assertThat(recordsWritten()).isEqualTo(1);
  }

  @Test
  void anotherInstanceStartedLaterKnowsTheCurrentVersionsFromTheTopic() throws Exception {
    send(io.vertx.core.http.HttpMethod.POST, "/v1/reports", "text/plain", sample());
    try (TestProducer second = new TestProducer(broker.bootstrapServers(), Map.of("topics.reports", topic))) {
      HttpResponse<Buffer> again = second.client.request(io.vertx.core.http.HttpMethod.POST, second.port, "127.0.0.1",
          "/v1/reports").putHeader("Authorization", "Bearer " + TestProducer.TOKEN)
          .putHeader("Content-Type", "text/plain").sendBuffer(Buffer.buffer(sample())).await();
      assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(200);
      assertThat(again.bodyAsJsonObject().getString("status")).isEqualTo("unchanged");
    }
    assertThat(recordsWritten()).isEqualTo(1);
  }

  @Test
  void aRetractionCarriesTheDistrictAndTagsOfTheVersionItRetractsAlsoFromAnotherInstance() throws Exception {
    send(io.vertx.core.http.HttpMethod.POST, "/v1/reports", "text/plain", sample());
    try (TestProducer second = new TestProducer(broker.bootstrapServers(), Map.of("topics.reports", topic))) {
      HttpResponse<Buffer> delete = second.client.request(io.vertx.core.http.HttpMethod.DELETE, second.port,
          "127.0.0.1", "/v1/reports/" + SAMPLE_ID).putHeader("Authorization", "Bearer " + TestProducer.TOKEN).send()
          .await();
      assertThat(delete.statusCode()).as(delete.bodyAsString()).isEqualTo(202);
    }
    List<ConsumerRecord<String, byte[]>> records = records(3);
    ReportEvent published = codec.decode(records.get(0)).orElseThrow();
    ReportEvent retraction = codec.decode(records.get(1)).orElseThrow();
    assertThat(retraction.type()).isEqualTo(EventType.RETRACTED);
    assertThat(published.facets().district()).isEqualTo("Huiji District");
    assertThat(retraction.facets()).as("known to the second instance from the topic alone")
        .isEqualTo(published.facets());
    assertThat(CloudEventCodec.header(records.get(1).headers(), CloudEventCodec.DISTRICT_HEADER))
        .isEqualTo("Huiji District");
  }

  @Test
  void aChangedVersionIsWrittenAndChangingBackIsAChangeToo() throws Exception {
    send(io.vertx.core.http.HttpMethod.POST, "/v1/reports", "text/plain", sample());
    String corrected = sample().replace("Wei Dong, secretary", "Wei Dong, first secretary");
    assertThat(send(io.vertx.core.http.HttpMethod.PUT, "/v1/reports/" + SAMPLE_ID, "text/plain", corrected)
        .statusCode()).isEqualTo(202);
    assertThat(send(io.vertx.core.http.HttpMethod.PUT, "/v1/reports/" + SAMPLE_ID, "text/plain", sample())
        .statusCode()).isEqualTo(202);
    assertThat(recordsWritten()).isEqualTo(3);
  }

  @Test
  void retractingTwiceWritesOnceAndUnknownReportsAre404() throws Exception {
    send(io.vertx.core.http.HttpMethod.POST, "/v1/reports", "text/plain", sample());
    HttpResponse<Buffer> retracted = send(io.vertx.core.http.HttpMethod.DELETE, "/v1/reports/" + SAMPLE_ID, null, null);
    HttpResponse<Buffer> again = send(io.vertx.core.http.HttpMethod.DELETE, "/v1/reports/" + SAMPLE_ID, null, null);
    assertThat(retracted.statusCode()).isEqualTo(202);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject().getString("status")).isEqualTo("unchanged");

    for (HttpResponse<Buffer> r : List.of(
        send(io.vertx.core.http.HttpMethod.DELETE, "/v1/reports/never-published", null, null),
        send(io.vertx.core.http.HttpMethod.PUT, "/v1/reports/never-published", "application/json",
            "{\"id\":\"never-published\",\"title\":\"T\",\"publishedDate\":\"2024-03-05\",\"body\":[\"B\"]}"),
        send(io.vertx.core.http.HttpMethod.PUT, "/v1/reports/" + SAMPLE_ID, "text/plain", sample()))) {
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(404);
      assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(r.bodyAsJsonObject().getString("code")).isEqualTo("unknown-report");
    }
    assertThat(recordsWritten()).as("published, retracted, tombstone").isEqualTo(3);
    HttpResponse<Buffer> republished = send(io.vertx.core.http.HttpMethod.POST, "/v1/reports", "text/plain", sample());
    assertThat(republished.statusCode()).as("a retracted report may be published again").isEqualTo(202);
  }
}
