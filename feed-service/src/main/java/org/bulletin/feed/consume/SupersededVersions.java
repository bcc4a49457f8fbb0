package org.bulletin.feed.consume;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bulletin.schema.CloudEventCodec;
import org.bulletin.schema.EventType;

/**
 * Which records of a poll a later version makes moot, so that catching up decodes and validates
 * only what it keeps (what compaction would keep too). A published or corrected record is
 * superseded by the next published or corrected record of the same key <em>on the same
 * partition</em> (after partitions are added, one key may live on two). A retraction or tombstone
 * between them breaks the chain, so every retraction still applies to what it retracted. Only the
 * {@code ce_type} header is read. Stateless; any thread.
 */
final class SupersededVersions {
  private static final String PUBLISHED = EventType.PUBLISHED.ceType();
  private static final String CORRECTED = EventType.CORRECTED.ceType();

  private SupersededVersions() {}

  /**
   * For each record, the index of the record that supersedes it, or -1 when none does. If the
   * superseding record turns out to be rejected, the superseded one is decoded after all.
   */
  static int[] of(List<ConsumerRecord<String, byte[]>> records) {
    int[] next = new int[records.size()];
    Arrays.fill(next, -1);
    // Most polls hold each key once: find the keys that repeat before reading any header.
    Map<Integer, Map<String, Boolean>> repeats = new HashMap<>();
    boolean any = false;
    for (ConsumerRecord<String, byte[]> r : records) {
      if (r.key() != null) {
        any |= repeats.computeIfAbsent(r.partition(), p -> new HashMap<>()).merge(r.key(), false, (a, b) -> true);
      }
    }
    if (!any) {
      return next;
    }
    Map<Integer, Map<String, Integer>> laterVersion = new HashMap<>();
    for (int i = records.size() - 1; i >= 0; i--) {
      ConsumerRecord<String, byte[]> r = records.get(i);
      if (r.key() == null || !repeats.get(r.partition()).get(r.key())) {
        continue;
      }
      Map<String, Integer> later = laterVersion.computeIfAbsent(r.partition(), p -> new HashMap<>());
      if (isVersion(r)) {
        Integer j = later.put(r.key(), i);
        if (j != null) {
          next[i] = j;
        }
      } else {
        later.remove(r.key());
      }
    }
    return next;
  }

  private static boolean isVersion(ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      return false;
    }
    String type = CloudEventCodec.header(r.headers(), "ce_type");
    return PUBLISHED.equals(type) || CORRECTED.equals(type);
  }
}
