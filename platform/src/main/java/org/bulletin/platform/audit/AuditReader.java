package org.bulletin.platform.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bulletin.platform.config.KafkaSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a page of the audit topic: entries from {@code since} (found with offsetsForTimes, so
 * nothing older is read), up to {@code until}, optionally of one partner, oldest first. Each call
 * uses a consumer of its own, closed at the end. Blocking: run it on a bounded executor.
 */
public final class AuditReader {
  private static final Logger LOG = LoggerFactory.getLogger(AuditReader.class);

  /**
   * A page of entries.
   *
   * @param truncated true when {@code scanLimit} records were read before the range ended: ask
   *     again with {@code since} just after the last entry
   */
  public record Page(List<AuditEntry> entries, boolean truncated) {}

  private final KafkaSettings kafka;
  private final String topic;
  private final int scanLimit;

  /** @param scanLimit most records one call reads, whatever matches */
  public AuditReader(KafkaSettings kafka, String topic, int scanLimit) {
    this.kafka = kafka;
    this.topic = topic;
    this.scanLimit = scanLimit;
  }

  public Page read(String partnerId, Instant since, Instant until, int limit) {
    Map<String, Object> config = kafka.clientConfig(Map.of(
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500));
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
      List<TopicPartition> partitions = infos == null ? List.of()
          : infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      if (partitions.isEmpty()) {
        return new Page(List.of(), false);
      }
      c.assign(partitions);
      Map<TopicPartition, Long> end = c.endOffsets(partitions, Duration.ofSeconds(10));
      Map<TopicPartition, Long> query = new HashMap<>();
      partitions.forEach(tp -> query.put(tp, since.toEpochMilli()));
      Map<TopicPartition, OffsetAndTimestamp> start = c.offsetsForTimes(query, Duration.ofSeconds(10));
      Map<TopicPartition, Long> remaining = new HashMap<>();
      for (TopicPartition tp : partitions) {
        OffsetAndTimestamp at = start.get(tp);
        long from = at == null ? end.get(tp) : at.offset();
        c.seek(tp, from);
        if (from < end.get(tp)) {
          remaining.put(tp, end.get(tp));
        }
      }
      // Per partition, entries come in time order: once one is past until, the partition is done.
      Map<TopicPartition, List<AuditEntry>> found = new HashMap<>();
      int scanned = 0;
      boolean truncated = false;
      while (!remaining.isEmpty()) {
        if (scanned >= scanLimit) {
          truncated = true;
          break;
        }
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          if (!remaining.containsKey(tp)) {
            continue;
          }
          scanned++;
          boolean last = r.offset() + 1 >= remaining.get(tp);
          if (last) {
            remaining.remove(tp);
          }
          AuditEntry e;
          try {
            e = AuditEntry.decode(r.value());
          } catch (RuntimeException ex) {
            LOG.warn("Skipping unreadable audit record {}/{}", r.partition(), r.offset());
            continue;
          }
          if (e.at().isAfter(until)) {
            remaining.remove(tp);
            continue;
          }
          if (e.at().isBefore(since) || partnerId != null && !partnerId.equals(e.partnerId())) {
            continue;
          }
          List<AuditEntry> list = found.computeIfAbsent(tp, k -> new ArrayList<>());
          list.add(e);
          if (list.size() >= limit && remaining.remove(tp) != null) {
            truncated = true; // this partition has more; older ones of other partitions may still come first
          }
        }
      }
      List<AuditEntry> all = new ArrayList<>();
      found.values().forEach(all::addAll);
      all.sort(Comparator.comparing(AuditEntry::at));
      boolean more = all.size() > limit;
      return new Page(all.subList(0, Math.min(limit, all.size())), truncated || more);
    }
  }
}
