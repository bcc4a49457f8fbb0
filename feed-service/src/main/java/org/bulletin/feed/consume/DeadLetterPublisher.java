package org.bulletin.feed.consume;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bulletin.platform.config.KafkaSettings;
import org.bulletin.schema.EventRejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records that cannot be applied to the dead-letter topic, value and headers unchanged,
 * with the reason in {@code bulletin-dlq-*} headers. The key names the source record, so every
 * instance writing the same poison record adds no new key to the (compacted) topic.
 */
public final class DeadLetterPublisher implements AutoCloseable {
  public static final String REASON = "bulletin-dlq-reason";
  public static final String DETAIL = "bulletin-dlq-detail";
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);

  private final KafkaProducer<String, byte[]> producer;
  private final String topic;

  public DeadLetterPublisher(KafkaSettings kafka) {
    Map<String, Object> config = kafka.clientConfig(Map.of(
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000));
    this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    this.topic = kafka.deadLetter().name();
  }

  /**
   * Sends and waits for the acknowledgement, retrying until Kafka takes it: a rejected record is
   * never dropped. Blocking; runs on the consumer thread.
   */
  public void send(ConsumerRecord<String, byte[]> record, EventRejectedException reason) throws InterruptedException {
    RecordHeaders headers = new RecordHeaders();
    for (Header h : record.headers()) {
      headers.add(h);
    }
    put(headers, REASON, reason.code());
    put(headers, DETAIL, reason.getMessage().length() > 2000 ? reason.getMessage().substring(0, 2000) : reason.getMessage());
    put(headers, "bulletin-dlq-topic", record.topic());
    put(headers, "bulletin-dlq-partition", String.valueOf(record.partition()));
    put(headers, "bulletin-dlq-offset", String.valueOf(record.offset()));
    put(headers, "bulletin-dlq-key", record.key() == null ? "" : record.key());
    String key = record.topic() + "/" + record.partition() + "/" + record.offset();
    ProducerRecord<String, byte[]> dead = new ProducerRecord<>(topic, null, key, record.value(), headers);
    long backoff = 500;
    while (true) {
      try {
        producer.send(dead).get(30, TimeUnit.SECONDS);
        LOG.warn("Dead-lettered {}: {} ({})", key, reason.code(), reason.getMessage());
        return;
      } catch (ExecutionException | java.util.concurrent.TimeoutException | org.apache.kafka.common.KafkaException e) {
        LOG.error("Cannot write {} to the dead-letter topic {} yet; retrying in {} ms: {}", key, topic, backoff,
            e.getMessage());
        Thread.sleep(backoff);
        backoff = Math.min(backoff * 2, 10_000);
      }
    }
  }

  private static void put(RecordHeaders headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
