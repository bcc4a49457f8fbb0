package org.bulletin.feed.delivery;

import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * What a reader of the attempts topic takes from each record: the attempts other instances (and
 * earlier runs of this one) wrote, of one channel or of all. This instance's own records are
 * skipped unread, by header: its attempts reach its views directly once durable
 * ({@link AttemptWriter#onDurable}). Runs on the tailer's thread.
 */
public final class AttemptTail implements Consumer<ConsumerRecord<String, byte[]>> {
  private final String ownInstance;
  private final String channel;
  private final Consumer<AttemptRecord> sink;

  /**
   * @param ownInstance this run's id ({@link AttemptWriter#instance()})
   * @param channel the one channel wanted, or {@code null} for all
   */
  public AttemptTail(String ownInstance, String channel, Consumer<AttemptRecord> sink) {
    this.ownInstance = ownInstance;
    this.channel = channel;
    this.sink = sink;
  }

  /** Whether a record with these headers is read at all (decided without its value). */
  public boolean reads(Headers headers) {
    return !ownInstance.equals(AttemptBatch.instance(headers))
        && (channel == null || AttemptBatch.mayHold(headers, channel));
  }

  @Override
  public void accept(ConsumerRecord<String, byte[]> record) {
    if (!reads(record.headers())) {
      return;
    }
    for (AttemptRecord a : AttemptBatch.read(record.headers(), record.value())) {
      if (channel == null || channel.equals(a.channel())) {
        sink.accept(a);
      }
    }
  }
}
