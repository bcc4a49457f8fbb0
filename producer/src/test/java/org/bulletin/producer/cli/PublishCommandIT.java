package org.bulletin.producer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bulletin.schema.EventJson;
import org.bulletin.testkit.KafkaBroker;
import org.bulletin.testkit.KafkaBrokerExtension;
import org.bulletin.testkit.TopicReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class PublishCommandIT {
  private static final Path SAMPLES = Path.of(System.getProperty("bulletin.repo.root", "..")).resolve("samples");

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... args) {
    return new PublishCommand(env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).run(List.of(args));
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void publishesADirectoryReportsTheBadFileAndExitsNonZero(KafkaBroker broker) throws Exception {
    String topic = "it-cli-" + UUID.randomUUID();
    Path input = dir.resolve("in");
    Files.createDirectories(input);
    try (var samples = Files.list(SAMPLES)) {
      for (Path p : samples.toList()) {
        Files.copy(p, input.resolve(p.getFileName()));
      }
    }
    Files.writeString(input.resolve("broken.json"), "{\"title\": \"no closing brace\"");
    Files.write(input.resolve("zz-binary.txt"), new byte[] {0, 1, 2, 3});

    int exit = run(Map.of("BULLETIN_TOPICS_REPORTS", topic), "--bootstrap-servers", broker.bootstrapServers(),
        input.toString());

    assertThat(exit).as(stdout() + stderr()).isEqualTo(PublishCommand.SOME_FAILED);
    assertThat(stderr()).contains("broken.json: malformed-json").contains("zz-binary.txt: not-text");
    assertThat(stdout()).contains("Published 7 of 9 files").contains("2 failed");
    List<ConsumerRecord<String, byte[]>> records = TopicReader.read(broker.bootstrapServers(), topic, 7, Duration.ofSeconds(20));
    assertThat(records).hasSize(7);
  }

  @Test
  void dryRunPrintsOneEventPerLineAndSendsNothing() throws Exception {
    int exit = run(Map.of("BULLETIN_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1"), "--dry-run",
        SAMPLES.resolve("huiji-economic-operation-meeting.txt").toString(),
        SAMPLES.resolve("erqi-flood-prevention-meeting.txt").toString());

    assertThat(exit).as(stderr()).isZero();
    List<String> lines = stdout().lines().toList();
    assertThat(lines).hasSize(2);
    var first = EventJson.mapper().readTree(lines.get(0));
    assertThat(first.get("specversion").asText()).isEqualTo("1.0");
    assertThat(first.get("type").asText()).isEqualTo("dev.bulletin.report.published.v1");
    assertThat(first.at("/data/presider/name").asText()).isEqualTo("Wei Dong");
    assertThat(stderr()).contains("Nothing was sent");
  }

  @Test
  void kafkaDownIsSaidClearlyWithExitCode3() {
    int exit = run(Map.of(), "--bootstrap-servers", "127.0.0.1:1", SAMPLES.toString());
    assertThat(exit).isEqualTo(PublishCommand.KAFKA_UNAVAILABLE);
    assertThat(stderr()).contains("cannot reach Kafka at 127.0.0.1:1").contains("Nothing was published");
  }

  @Test
  void usageErrorsExitWith2() {
    assertThat(run(Map.of())).isEqualTo(PublishCommand.USAGE);
    assertThat(run(Map.of(), "--frobnicate", "x")).isEqualTo(PublishCommand.USAGE);
    assertThat(stderr()).contains("unknown option --frobnicate").contains("usage: bulletin publish");
  }

  @Test
  void missingFileCountsAsFailure(KafkaBroker broker) {
    int exit = run(Map.of("BULLETIN_TOPICS_REPORTS", "it-cli-" + UUID.randomUUID()),
        "--bootstrap-servers", broker.bootstrapServers(),
        SAMPLES.resolve("guancheng-environment-notice.txt").toString(), dir.resolve("nope.txt").toString());
    assertThat(exit).isEqualTo(PublishCommand.SOME_FAILED);
    assertThat(stderr()).contains("nope.txt: no such file or directory");
    assertThat(stdout()).contains("Published 1 of 2 files");
  }

  @Test
  void publishingTheSameFilesAgainSendsNothing(KafkaBroker broker) {
    String topic = "it-cli-" + UUID.randomUUID();
    Map<String, String> env = Map.of("BULLETIN_TOPICS_REPORTS", topic);
    assertThat(run(env, "--bootstrap-servers", broker.bootstrapServers(), SAMPLES.toString()))
        .as(stdout() + stderr()).isEqualTo(PublishCommand.OK);
    int first = TopicReader.read(broker.bootstrapServers(), topic, 7, Duration.ofSeconds(20)).size();
    out.reset();

    int exit = run(env, "--bootstrap-servers", broker.bootstrapServers(), SAMPLES.toString());

    assertThat(exit).as(stdout() + stderr()).isEqualTo(PublishCommand.OK);
    assertThat(stdout()).contains(first + " unchanged (nothing sent for them)");
    try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(Map.of(
        "bootstrap.servers", broker.bootstrapServers()),
        new org.apache.kafka.common.serialization.StringDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      var partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
      assertThat(consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(first);
    }
  }
}
