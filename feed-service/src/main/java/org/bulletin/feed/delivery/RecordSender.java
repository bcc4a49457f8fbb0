package org.bulletin.feed.delivery;

import io.vertx.core.Future;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Writes one record durably; the future completes once Kafka acknowledged it. */
@FunctionalInterface
public interface RecordSender {
  Future<RecordMetadata> send(String topic, String key, byte[] value);
}
