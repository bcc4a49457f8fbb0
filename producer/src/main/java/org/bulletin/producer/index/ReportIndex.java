package org.bulletin.producer.index;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.bulletin.schema.CloudEventCodec;
import org.bulletin.schema.EventJson;
import org.bulletin.schema.EventType;
import org.bulletin.schema.ReportFacets;

/**
 * What the reports topic says about each report now: a hash of its current content, or that it
 * was retracted. Every producer instance builds it by reading the whole (compacted) topic from the
 * beginning and then following it, and adds its own events as soon as Kafka acknowledged them, so
 * it answers "is this content already the current version?" and "does this report exist?" without
 * asking Kafka. It also keeps each report's district and tags, which its retraction carries so
 * that webhook filters can place it. One small entry per report. Thread-safe.
 */
public final class ReportIndex {
  /**
   * The state of one report: where its latest event is, and its content hash unless retracted.
   *
   * @param facets district and tags of its current version; null when retracted or not known
   * @param timestamp the record's Kafka timestamp
   */
  public record Version(int partition, long offset, long contentHash, boolean retracted, ReportFacets facets,
      long timestamp) {
    /**
     * Records of one report share a partition (its id is the key), where the higher offset is
     * newer; once partitions were added to the topic, its later records may be on another one,
     * and then only the timestamps tell.
     */
    boolean newerThan(Version other) {
      return partition == other.partition ? offset >= other.offset : timestamp >= other.timestamp;
    }
  }

  private final Map<String, Version> byId = new ConcurrentHashMap<>();

  /** Applies a record read from the reports topic (a tombstone counts as a retraction). */
  public void apply(ConsumerRecord<String, byte[]> record) {
    if (record.key() == null) {
      return;
    }
    boolean retracted = record.value() == null || isRetraction(record.headers().lastHeader("ce_type"));
    apply(record.key(), new Version(record.partition(), record.offset(),
        retracted ? 0 : contentHash(record.value()), retracted, retracted ? null : facets(record),
        record.timestamp()));
  }

  /**
   * Applies an event this instance wrote and Kafka acknowledged, before the topic is read back,
   * so that this instance sees its own writes at once.
   */
  public void apply(String reportId, Version version) {
    byId.merge(reportId, version, (old, fresh) -> fresh.newerThan(old) ? fresh : old);
  }

  public Optional<Version> current(String reportId) {
    return Optional.ofNullable(byId.get(reportId));
  }

  public int size() {
    return byId.size();
  }

  /**
   * What the record's extension attributes say; for a record written before they existed, what
   * its data says (read only then); null when neither is readable.
   */
  static ReportFacets facets(ConsumerRecord<String, byte[]> record) {
    ReportFacets facets = CloudEventCodec.facets(record.headers());
    if (facets != null) {
      return facets;
    }
    try {
      com.fasterxml.jackson.databind.JsonNode data = EventJson.mapper().readTree(record.value());
      com.fasterxml.jackson.databind.JsonNode district = data.path("district");
      java.util.List<String> tags = new java.util.ArrayList<>();
      data.path("tags").forEach(t -> tags.add(t.asText()));
      ReportFacets fromData = new ReportFacets(district.isTextual() ? district.asText() : null, tags);
      return fromData.valid() ? fromData : null;
    } catch (java.io.IOException | RuntimeException e) {
      return null; // unreadable: the feed service dead-letters it
    }
  }

  /** The first 64 bits of the SHA-256 of an event's data, as the codec writes it. */
  public static long contentHash(byte[] data) {
    try {
      return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(data)).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean isRetraction(Header type) {
    return type != null && type.value() != null
        && EventType.RETRACTED.ceType().equals(new String(type.value(), StandardCharsets.UTF_8));
  }
}
