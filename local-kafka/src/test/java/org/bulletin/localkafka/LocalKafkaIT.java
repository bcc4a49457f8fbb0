package org.bulletin.localkafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaIT {

  @TempDir
  Path dir;

  @Test
  void keepsRecordsAcrossARestartOnTheSameDataDir() throws Exception {
    try (LocalKafka kafka = LocalKafka.start(LocalKafkaSettings.ephemeral(dir))) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
      }
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
          ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>("t", "k", "kept")).get(30, TimeUnit.SECONDS);
      }
    }
    try (LocalKafka again = LocalKafka.start(LocalKafkaSettings.ephemeral(dir))) {
      assertThat(readAll(again.bootstrapServers(), "t", 1)).containsExactly("kept");
    }
  }

  @Test
  void acceptsCompressedRecordsOfEveryCodec() throws Exception {
    try (LocalKafka kafka = LocalKafka.start(LocalKafkaSettings.ephemeral(dir))) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("z", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
      }
      for (String codec : List.of("gzip", "lz4", "snappy", "zstd")) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ProducerConfig.COMPRESSION_TYPE_CONFIG, codec), new StringSerializer(), new StringSerializer())) {
          producer.send(new ProducerRecord<>("z", codec, codec)).get(30, TimeUnit.SECONDS);
        }
      }
      assertThat(readAll(kafka.bootstrapServers(), "z", 4)).containsExactly("gzip", "lz4", "snappy", "zstd");
    }
  }

  @Test
  void refusesToStartOnAPortInUse() throws Exception {
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      LocalKafkaSettings settings = new LocalKafkaSettings(dir, socket.getLocalPort(), 0, 256, Duration.ofSeconds(30));
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> LocalKafka.start(settings))
          .isInstanceOf(LocalKafkaException.class)
          .hasMessageContaining("in use");
    }
  }

  @Test
  void brokerDiesWithItsParentEvenOnSigkill() throws Exception {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Process parent = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        OrphanProbe.class.getName(), dir.toString()).redirectErrorStream(true).start();
    long brokerPid = -1;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("BROKER_PID ")) {
          brokerPid = Long.parseLong(line.substring(11).trim());
          break;
        }
      }
      assertThat(brokerPid).as("the probe reported its broker's pid").isPositive();
      Optional<ProcessHandle> broker = ProcessHandle.of(brokerPid);
      assertThat(broker).isPresent();

      parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs

      broker.get().onExit().get(30, TimeUnit.SECONDS);
      assertThat(broker.get().isAlive()).isFalse();
    } finally {
      parent.destroyForcibly();
      if (brokerPid > 0) {
        ProcessHandle.of(brokerPid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  private static List<String> readAll(String bootstrap, String topic, int expected) {
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
      var partition = new org.apache.kafka.common.TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      java.util.ArrayList<String> values = new java.util.ArrayList<>();
      while (values.size() < expected && System.nanoTime() < deadline) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
        records.forEach(r -> values.add(r.value()));
      }
      return values;
    }
  }
}
