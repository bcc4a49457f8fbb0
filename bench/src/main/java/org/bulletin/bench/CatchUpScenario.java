package org.bulletin.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Scenario 3: events/s the feed service materializes when it starts behind N events of about
 * 2 KB, beside a bare kafka-clients consumer reading the same topic (the limit).
 */
final class CatchUpScenario {
  private CatchUpScenario() {}

  static List<Figure> run(Env env) throws Exception {
    int n = env.size(200_000, 2_000);
    List<Double> feedRate = new ArrayList<>();
    List<Double> bareRate = new ArrayList<>();
    List<Double> ratio = new ArrayList<>();
    try (Stack stack = new Stack(env.bootstrap(), Map.of())) {
      fill(env.bootstrap(), stack.reportsTopic(), n, "catchup");
      for (int run = 0; run < env.runs(); run++) {
        double bare = n / (bareConsumerMillis(env.bootstrap(), stack.reportsTopic(), n) / 1000.0);
        double feed = n / (stack.startFeed() / 1000.0);
        stack.stopFeed();
        bareRate.add(bare);
        feedRate.add(feed);
        ratio.add(feed / bare);
      }
    }
    String s = "3. Catch-up (" + n + " events of ~2 KB)";
    Stats r = new Stats("x bare", ratio);
    return List.of(new Figure(s, "feed service events/s", new Stats("events/s", feedRate), null, null),
        new Figure(s, "bare consumer events/s", new Stats("events/s", bareRate), null, null),
        new Figure(s, "feed service / bare consumer", r, ">= 0.5x", r.median() >= 0.5));
  }

  static void fill(String bootstrap, String topic, int n, String prefix) throws Exception {
    try (EventSender sender = new EventSender(bootstrap, topic)) {
      CompletableFuture<Long> last = null;
      for (int i = 0; i < n; i++) {
        last = sender.send(EventSender.report(prefix + "-" + i, 1800));
      }
      sender.flush();
      last.get();
    }
  }

  static long bareConsumerMillis(String bootstrap, String topic, int n) {
    long t0 = System.nanoTime();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000), new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      long count = 0;
      while (count < n) {
        count += c.poll(Duration.ofMillis(100)).count();
      }
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
