package org.bulletin.platform.kafka;

/** Kafka could not be reached or did not acknowledge in time. */
public final class KafkaUnavailableException extends RuntimeException {
  public KafkaUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
