package org.bulletin.feed.delivery;

import io.vertx.core.Future;
import java.util.List;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;

/** Writes one record durably; the future completes once Kafka acknowledged it. */
@FunctionalInterface
public interface RecordSender {
  Future<RecordMetadata> send(String topic, String key, byte[] value);

  /** Sends with headers; a sender that cannot carry them refuses rather than drop them. */
  default Future<RecordMetadata> send(String topic, String key, byte[] value, List<Header> headers) {
    if (headers.isEmpty()) {
      return send(topic, key, value);
    }
    return Future.failedFuture(new UnsupportedOperationException(getClass().getName() + " cannot send headers"));
  }
}
