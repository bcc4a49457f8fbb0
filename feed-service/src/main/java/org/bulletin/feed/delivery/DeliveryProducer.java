package org.bulletin.feed.delivery;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bulletin.platform.config.KafkaSettings;

/**
 * The idempotent, acks=all producer of the delivery engine: retries, attempts, dead letters,
 * subscription changes. Metadata is fetched once at start ({@link #warmUp}), so {@link #send}
 * does not block. Its future completes on the caller's Vert.x context, never on the producer's
 * I/O thread: a send chained there would block the very thread that fetches metadata.
 */
public final class DeliveryProducer implements RecordSender, AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;

  public DeliveryProducer(KafkaSettings kafka) {
    Map<String, Object> config = kafka.clientConfig(Map.of(
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.LINGER_MS_CONFIG, 2,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000));
    this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }

  /** Fetches the topics' metadata. Blocking: call it from a worker thread before the first send. */
  public void warmUp(List<String> topics) {
    topics.forEach(producer::partitionsFor);
  }

  /** Sends; the future completes once Kafka acknowledged, on the caller's context if it has one. */
  @Override
  public Future<RecordMetadata> send(String topic, String key, byte[] value) {
    return send(new ProducerRecord<>(topic, key, value));
  }

  @Override
  public Future<RecordMetadata> send(String topic, String key, byte[] value,
      List<org.apache.kafka.common.header.Header> headers) {
    return send(new ProducerRecord<>(topic, null, key, value, headers));
  }

  private Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
    Promise<RecordMetadata> promise = Promise.promise();
    Context context = Vertx.currentContext();
    try {
      producer.send(record, (metadata, error) -> {
        Runnable complete = () -> {
          if (error != null) {
            promise.fail(error);
          } else {
            promise.complete(metadata);
          }
        };
        if (context != null) {
          context.runOnContext(v -> complete.run());
        } else {
          complete.run();
        }
      });
    } catch (RuntimeException e) {
      promise.tryFail(e);
    }
    return promise.future();
  }

  /**
   * Errors no retry can fix (the record is too large, the topic name is invalid, access is
   * denied): the caller dead-letters the record or reports it, rather than retrying for ever.
   */
  public static boolean isPermanent(Throwable error) {
    Throwable e = error;
    while ((e instanceof java.util.concurrent.CompletionException || e instanceof java.util.concurrent.ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e instanceof org.apache.kafka.common.errors.RecordTooLargeException
        || e instanceof org.apache.kafka.common.errors.RecordBatchTooLargeException
        || e instanceof org.apache.kafka.common.errors.InvalidTopicException
        || e instanceof org.apache.kafka.common.errors.SerializationException
        || e instanceof org.apache.kafka.common.errors.AuthorizationException
        || e instanceof org.apache.kafka.common.errors.UnsupportedVersionException
        || e instanceof org.apache.kafka.common.InvalidRecordException;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
