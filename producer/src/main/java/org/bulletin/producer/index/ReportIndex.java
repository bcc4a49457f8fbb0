package org.bulletin.producer.index;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * that webhook filters can place it.
 *
 * <p>It holds one entry per report for the life of the process (and {@code ./bulletin up} shares
 * one heap with the feed service), so entries live in primitive arrays indexed by an ordinal,
 * found through an open-addressing table; each distinct combination of district and tags is kept
 * once and referred to by number. That is the id plus a few dozen bytes per report
 * ({@code ReportIndexMemoryTest}). Thread-safe: the topic reader's thread and the event loops
 * that accept reports call it; every method holds the index's lock briefly.
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

  private static final int NO_FACETS = -1;
  private static final byte LIVE = 0;
  private static final byte RETRACTED = 1;

  private String[] ids = new String[1024];
  private int[] partitions = new int[1024];
  private long[] offsets = new long[1024];
  private long[] hashes = new long[1024];
  private long[] timestamps = new long[1024];
  private int[] facetIds = new int[1024];
  private byte[] states = new byte[1024];
  private int size;
  // Open addressing (linear probing) from id to ordinal; -1 is an empty slot. Load stays <= 1/2.
  private int[] table = newTable(2048);
  // Each distinct district-and-tags combination once; reports refer to it by its number.
  private final Map<ReportFacets, Integer> facetNumbers = new HashMap<>();
  private final List<ReportFacets> facetsByNumber = new ArrayList<>();

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
  public synchronized void apply(String reportId, Version version) {
    int ord = find(reportId);
    if (ord >= 0 && !version.newerThan(at(ord))) {
      return;
    }
    if (ord < 0) {
      ord = add(reportId);
    }
    partitions[ord] = version.partition();
    offsets[ord] = version.offset();
    hashes[ord] = version.contentHash();
    timestamps[ord] = version.timestamp();
    states[ord] = version.retracted() ? RETRACTED : LIVE;
    facetIds[ord] = number(version.facets());
  }

  public synchronized Optional<Version> current(String reportId) {
    int ord = find(reportId);
    return ord < 0 ? Optional.empty() : Optional.of(at(ord));
  }

  public synchronized int size() {
    return size;
  }

  /**
   * Bytes the index holds, ids included (estimated: 40 bytes of String header plus one byte a
   * character, as compact strings of ASCII ids take).
   */
  public synchronized long estimatedBytes() {
    long idBytes = 0;
    for (int ord = 0; ord < size; ord++) {
      idBytes += 40 + ids[ord].length();
    }
    return (long) ids.length * (4 + 4 + 8 + 8 + 8 + 4 + 1) + table.length * 4L + idBytes;
  }

  private Version at(int ord) {
    int facets = facetIds[ord];
    return new Version(partitions[ord], offsets[ord], hashes[ord], states[ord] == RETRACTED,
        facets == NO_FACETS ? null : facetsByNumber.get(facets), timestamps[ord]);
  }

  private int number(ReportFacets facets) {
    if (facets == null) {
      return NO_FACETS;
    }
    Integer known = facetNumbers.get(facets);
    if (known != null) {
      return known;
    }
    int fresh = facetsByNumber.size();
    facetsByNumber.add(facets);
    facetNumbers.put(facets, fresh);
    return fresh;
  }

  private static int[] newTable(int capacity) {
    int[] t = new int[capacity];
    Arrays.fill(t, -1);
    return t;
  }

  private int find(String id) {
    int mask = table.length - 1;
    for (int slot = mix(id.hashCode()) & mask; ; slot = (slot + 1) & mask) {
      int ord = table[slot];
      if (ord < 0) {
        return -1;
      }
      if (ids[ord].equals(id)) {
        return ord;
      }
    }
  }

  private int add(String id) {
    if (size == ids.length) {
      grow();
    }
    int ord = size++;
    ids[ord] = id;
    if (size * 2 > table.length) {
      rehash(table.length * 2);
    }
    insert(ord);
    return ord;
  }

  private void insert(int ord) {
    int mask = table.length - 1;
    int slot = mix(ids[ord].hashCode()) & mask;
    while (table[slot] >= 0) {
      slot = (slot + 1) & mask;
    }
    table[slot] = ord;
  }

  private void rehash(int capacity) {
    table = newTable(capacity);
    for (int ord = 0; ord < size; ord++) {
      insert(ord);
    }
  }

  private void grow() {
    int n = ids.length + (ids.length >> 1);
    ids = Arrays.copyOf(ids, n);
    partitions = Arrays.copyOf(partitions, n);
    offsets = Arrays.copyOf(offsets, n);
    hashes = Arrays.copyOf(hashes, n);
    timestamps = Arrays.copyOf(timestamps, n);
    facetIds = Arrays.copyOf(facetIds, n);
    states = Arrays.copyOf(states, n);
  }

  private static int mix(int h) {
    return h ^ (h >>> 16) ^ (h >>> 7);
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
