package org.bulletin.producer.index;

/** Asks Kafka where a report's partition ends now. Blocking: call it on a named bounded executor. */
public interface EndOffsets {
  /**
   * @return the partition the producer writes {@code reportId} to and its current end offset
   *     (last stable offset, as a read_committed reader sees it)
   * @throws org.bulletin.platform.kafka.KafkaUnavailableException when Kafka does not answer within {@code timeoutMs}
   */
  PartitionEnd of(String reportId, long timeoutMs);
}
