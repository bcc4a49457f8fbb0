package org.bulletin.producer.kafka;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bulletin.platform.config.KafkaSettings;
import org.bulletin.platform.exec.BoundedExecutor;
import org.bulletin.platform.kafka.KafkaUnavailableException;

/**
 * Owns the idempotent Kafka producer (acks=all). A send is done only when Kafka acknowledged
 * every record of it; failures are reported, never swallowed.
 *
 * <p>{@code KafkaProducer.send} may block while it fetches metadata, so it runs on the bounded
 * send executor, never on an event loop.
 */
public final class EventPublisher implements AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;
  private final BoundedExecutor executor;
  private final String bootstrapServers;

  public EventPublisher(KafkaSettings kafka, long timeoutMs, BoundedExecutor executor) {
    int requestTimeout = (int) Math.max(1000, Math.min(30_000, timeoutMs - 1000));
    Map<String, Object> config = kafka.clientConfig(Map.of(
        // Correctness settings win over anything configured.
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs,
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeout,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(timeoutMs, requestTimeout + 100L),
        ProducerConfig.LINGER_MS_CONFIG, 5));
    this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    this.executor = executor;
    this.bootstrapServers = kafka.bootstrapServers();
  }

  /**
   * Sends {@code records} in order (records with the same key keep that order in Kafka).
   * Completes on {@code context} once all are acknowledged; fails with
   * {@link KafkaUnavailableException} when Kafka does not acknowledge in time.
   */
  public Future<List<RecordMetadata>> send(Context context, List<ProducerRecord<String, byte[]>> records) {
    return executor.submit(context, () -> {
      List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>();
      for (ProducerRecord<String, byte[]> record : records) {
        CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
        producer.send(record, (metadata, error) -> {
          if (error != null) {
            ack.completeExceptionally(error);
          } else {
            ack.complete(metadata);
          }
        });
        acks.add(ack);
      }
      return acks;
    }).recover(this::translate).compose(acks -> Future.fromCompletionStage(
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
            .thenApply(v -> acks.stream().map(CompletableFuture::join).toList()), context)
        .recover(this::translate));
  }

  private <T> Future<T> translate(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof TimeoutException || cause instanceof RetriableException) {
      return Future.failedFuture(new KafkaUnavailableException(
          "Kafka at " + bootstrapServers + " did not acknowledge in time: " + cause.getMessage(), cause));
    }
    return Future.failedFuture(cause);
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(10));
  }
}
