package org.bulletin.feed.content;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bulletin.platform.config.KafkaSettings;
import org.bulletin.schema.CloudEventCodec;
import org.bulletin.schema.EventRejectedException;
import org.bulletin.schema.EventType;
import org.bulletin.schema.ReportEvent;
import org.bulletin.schema.MeetingReport;

/**
 * Reads report versions back by offset with a consumer of its own (no group), created on first
 * use. One seek per run of wanted offsets: a fetch returns the records after the first one too.
 * Only the view thread calls it, so it alone owns the consumer.
 */
public final class KafkaReportFetcher implements ReportFetcher {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final KafkaSettings kafka;
  private final CloudEventCodec codec = new CloudEventCodec();
  private KafkaConsumer<String, byte[]> consumer;

  public KafkaReportFetcher(KafkaSettings kafka) {
    this.kafka = kafka;
  }

  @Override
  public Map<Long, MeetingReport> fetch(long[] positions) {
    Map<Integer, long[]> byPartition = new TreeMap<>();
    long[] sorted = positions.clone();
    Arrays.sort(sorted);
    for (int from = 0; from < sorted.length; ) {
      int partition = Position.partition(sorted[from]);
      int to = from;
      while (to < sorted.length && Position.partition(sorted[to]) == partition) {
        to++;
      }
      long[] offsets = new long[to - from];
      for (int i = from; i < to; i++) {
        offsets[i - from] = Position.offset(sorted[i]);
      }
      byPartition.put(partition, offsets);
      from = to;
    }
    Map<Long, MeetingReport> out = new HashMap<>(positions.length * 2);
    byPartition.forEach((partition, offsets) -> read(partition, offsets, out));
    return out;
  }

  private void read(int partition, long[] offsets, Map<Long, MeetingReport> out) {
    TopicPartition tp = new TopicPartition(kafka.reports().name(), partition);
    KafkaConsumer<String, byte[]> c = consumer();
    c.assign(List.of(tp));
    int i = 0;
    while (i < offsets.length) {
      c.seek(tp, offsets[i]);
      long deadline = System.nanoTime() + WAIT.toNanos();
      long last = -1;
      while (last < 0) {
        List<ConsumerRecord<String, byte[]>> records = c.poll(Duration.ofMillis(100)).records(tp);
        for (ConsumerRecord<String, byte[]> r : records) {
          if (Arrays.binarySearch(offsets, r.offset()) >= 0) {
            decode(r).ifPresent(report -> out.put(Position.of(partition, r.offset()), report));
          }
          last = r.offset();
        }
        if (last < 0 && System.nanoTime() > deadline) {
          throw new IllegalStateException("Kafka returned nothing at " + tp + "@" + offsets[i] + " within " + WAIT);
        }
      }
      while (i < offsets.length && offsets[i] <= last) {
        i++;
      }
    }
  }

  private Optional<MeetingReport> decode(ConsumerRecord<String, byte[]> record) {
    try {
      return codec.decode(record).filter(e -> e.type() != EventType.RETRACTED).map(ReportEvent::report);
    } catch (EventRejectedException e) {
      return Optional.empty(); // the stream consumer dead-lettered it; it never entered the view
    }
  }

  private KafkaConsumer<String, byte[]> consumer() {
    if (consumer == null) {
      Map<String, Object> config = kafka.clientConfig(Map.of(
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
          // A page wants a few records here and there, not what follows them: parse little per seek.
          ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50,
          ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024,
          ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 256 * 1024,
          ConsumerConfig.CLIENT_ID_CONFIG, "bulletin-feed-content"));
      config.remove(ConsumerConfig.GROUP_ID_CONFIG);
      consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }
    return consumer;
  }

  @Override
  public void close() {
    if (consumer != null) {
      consumer.close(Duration.ofSeconds(2));
      consumer = null;
    }
  }
}
