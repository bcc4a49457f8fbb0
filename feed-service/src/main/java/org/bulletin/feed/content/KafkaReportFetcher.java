package org.bulletin.feed.content;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
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
 * use. One pass per call (see {@link ReadPlan}): every partition wanted is assigned and sought at
 * once, so one fetch serves them all; within a partition the reader reads forward across small
 * gaps and seeks only across large ones. Gives up after {@code wait} with
 * {@link ContentUnavailableException}. Not thread-safe: one thread at a time owns an instance.
 */
public final class KafkaReportFetcher implements ReportFetcher {
  /** Records read past between two wanted offsets before seeking instead (~2 KB each). */
  static final int MAX_GAP = 32;
  private static final java.util.concurrent.atomic.AtomicInteger INSTANCES = new java.util.concurrent.atomic.AtomicInteger();
  private final KafkaSettings kafka;
  private final Duration wait;
  private final CloudEventCodec codec = new CloudEventCodec();
  private KafkaConsumer<String, byte[]> consumer;

  /** @param wait how long one call may take ({@code feed.readback.timeout.ms}) */
  public KafkaReportFetcher(KafkaSettings kafka, Duration wait) {
    this.kafka = kafka;
    this.wait = wait;
  }

  @Override
  public Map<Long, MeetingReport> fetch(long[] positions) {
    Map<Long, MeetingReport> out = new HashMap<>(positions.length * 2);
    if (positions.length == 0) {
      return out;
    }
    List<List<ReadPlan.Run>> plan = ReadPlan.of(positions, MAX_GAP).byPartition();
    String topic = kafka.reports().name();
    Map<TopicPartition, Cursor> cursors = new HashMap<>();
    for (List<ReadPlan.Run> runs : plan) {
      cursors.put(new TopicPartition(topic, runs.get(0).partition()), new Cursor(runs));
    }
    KafkaConsumer<String, byte[]> c = consumer();
    c.assign(cursors.keySet());
    c.resume(cursors.keySet());
    cursors.forEach((tp, cursor) -> c.seek(tp, cursor.run().first()));
    long deadline = System.nanoTime() + wait.toNanos();
    int open = cursors.size();
    while (open > 0) {
      if (System.nanoTime() > deadline) {
        throw new ContentUnavailableException("Kafka did not return " + open + " of " + cursors.size()
            + " partitions' records of " + topic + " within " + wait);
      }
      ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(50));
      for (TopicPartition tp : records.partitions()) {
        Cursor cursor = cursors.get(tp);
        if (cursor == null || cursor.done()) {
          continue;
        }
        for (ConsumerRecord<String, byte[]> r : records.records(tp)) {
          ReadPlan.Run run = cursor.run();
          if (r.offset() < run.first()) {
            continue; // the rest of a batch fetched before the last seek
          }
          if (Arrays.binarySearch(run.offsets(), r.offset()) >= 0) {
            decode(r).ifPresent(report -> out.put(Position.of(tp.partition(), r.offset()), report));
          }
          if (r.offset() >= run.last()) {
            if (cursor.next()) {
              c.seek(tp, cursor.run().first());
            } else {
              c.pause(List.of(tp));
              open--;
            }
            break; // what follows in this poll was fetched for the run just finished
          }
        }
      }
    }
    return out;
  }

  /** Where one partition's read stands: the run being read. */
  private static final class Cursor {
    private final List<ReadPlan.Run> runs;
    private int at;

    Cursor(List<ReadPlan.Run> runs) {
      this.runs = runs;
    }

    ReadPlan.Run run() {
      return runs.get(at);
    }

    boolean next() {
      return ++at < runs.size();
    }

    boolean done() {
      return at >= runs.size();
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
          ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200,
          ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024,
          ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 256 * 1024,
          ConsumerConfig.CLIENT_ID_CONFIG, "bulletin-feed-content-" + INSTANCES.incrementAndGet()));
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
