package org.bulletin.feed.delivery;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/** Records what would be written to Kafka; a predicate makes chosen writes fail. Thread-safe. */
final class FakeSender implements RecordSender {
  record Sent(String topic, String key, byte[] value, List<Header> headers) {
    String text() {
      return value == null ? null : new String(value, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  final List<Sent> sent = new ArrayList<>();
  volatile Predicate<String> failTopic = t -> false;

  @Override
  public synchronized Future<RecordMetadata> send(String topic, String key, byte[] value) {
    if (failTopic.test(topic)) {
      return Future.failedFuture(new org.apache.kafka.common.errors.TimeoutException("broker unavailable"));
    }
    sent.add(new Sent(topic, key, value, List.of()));
    return Future.succeededFuture(new RecordMetadata(new TopicPartition(topic, 0), 0, sent.size(), 0, 0, 0));
  }

  @Override
  public synchronized Future<RecordMetadata> send(String topic, String key, byte[] value, List<Header> headers) {
    if (failTopic.test(topic)) {
      return Future.failedFuture(new org.apache.kafka.common.errors.TimeoutException("broker unavailable"));
    }
    sent.add(new Sent(topic, key, value, headers));
    return Future.succeededFuture(new RecordMetadata(new TopicPartition(topic, 0), 0, sent.size(), 0, 0, 0));
  }

  /** Every attempt written to {@code topic} (in batches), in order. */
  synchronized List<AttemptRecord> attempts(String topic) {
    return to(topic).stream().flatMap(s -> AttemptBatch.read(new org.apache.kafka.common.header.internals.RecordHeaders(
        s.headers()), s.value()).stream()).toList();
  }

  synchronized List<Sent> to(String topic) {
    return sent.stream().filter(s -> s.topic().equals(topic)).toList();
  }
}
