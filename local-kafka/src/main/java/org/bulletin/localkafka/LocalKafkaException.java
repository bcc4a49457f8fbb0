package org.bulletin.localkafka;

/** The local broker could not be started; the message includes the tail of its log. */
public final class LocalKafkaException extends RuntimeException {
  public LocalKafkaException(String message) {
    super(message);
  }

  public LocalKafkaException(String message, Throwable cause) {
    super(message, cause);
  }
}
