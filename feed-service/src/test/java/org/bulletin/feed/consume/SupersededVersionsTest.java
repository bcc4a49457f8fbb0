package org.bulletin.feed.consume;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.bulletin.schema.EventType;
import org.junit.jupiter.api.Test;

class SupersededVersionsTest {
  private static ConsumerRecord<String, byte[]> record(int partition, long offset, String key, EventType type) {
    RecordHeaders headers = new RecordHeaders();
    byte[] value = null;
    if (type != null) {
      headers.add("ce_type", type.ceType().getBytes(StandardCharsets.UTF_8));
      value = "{}".getBytes(StandardCharsets.UTF_8);
    }
    return new ConsumerRecord<>("reports", partition, offset, 0L, TimestampType.CREATE_TIME, -1, -1, key, value,
        headers, Optional.empty());
  }

  @Test
  void aVersionIsSupersededByTheNextVersionOfItsKey() {
    List<ConsumerRecord<String, byte[]>> records = List.of(
        record(0, 0, "a", EventType.PUBLISHED),
        record(0, 1, "b", EventType.PUBLISHED),
        record(0, 2, "a", EventType.CORRECTED),
        record(0, 3, "a", EventType.CORRECTED));

    assertThat(SupersededVersions.of(records)).containsExactly(2, -1, 3, -1);
  }

  @Test
  void aRetractionOrTombstoneBetweenVersionsKeepsTheEarlierVersion() {
    List<ConsumerRecord<String, byte[]>> records = List.of(
        record(0, 0, "a", EventType.PUBLISHED),
        record(0, 1, "a", EventType.RETRACTED),
        record(0, 2, "a", null),
        record(0, 3, "a", EventType.PUBLISHED),
        record(0, 4, "b", EventType.PUBLISHED),
        record(0, 5, "b", null),
        record(0, 6, "b", EventType.PUBLISHED),
        record(0, 7, "b", EventType.CORRECTED));

    assertThat(SupersededVersions.of(records)).containsExactly(-1, -1, -1, -1, -1, -1, 7, -1);
  }

  @Test
  void versionsOfOneKeyOnDifferentPartitionsDoNotSupersedeEachOther() {
    // After partitions are added, a key's new records may land on another partition.
    List<ConsumerRecord<String, byte[]>> records = List.of(
        record(0, 10, "a", EventType.PUBLISHED),
        record(1, 0, "a", EventType.CORRECTED));

    assertThat(SupersededVersions.of(records)).containsExactly(-1, -1);
  }

  @Test
  void recordsWithoutKeyOrOfUnknownTypeAreNeverSuperseded() {
    RecordHeaders odd = new RecordHeaders();
    odd.add("ce_type", "something.else".getBytes(StandardCharsets.UTF_8));
    List<ConsumerRecord<String, byte[]>> records = List.of(
        record(0, 0, null, EventType.PUBLISHED),
        record(0, 1, null, EventType.PUBLISHED),
        new ConsumerRecord<>("reports", 0, 2, 0L, TimestampType.CREATE_TIME, -1, -1, "c", new byte[] {1}, odd,
            Optional.empty()),
        record(0, 3, "c", EventType.PUBLISHED));

    assertThat(SupersededVersions.of(records)).containsExactly(-1, -1, -1, -1);
  }
}
