package org.bulletin.feed.delivery;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The records of the attempts topic. Written now: one record per batch of attempts, a JSON array
 * of {@link AttemptRecord}s, with headers saying the format, the writing instance and the channels
 * inside, so that a reader skips what it does not need without parsing the value. Written before:
 * one attempt per record, a JSON object, no headers; both are read.
 */
public final class AttemptBatch {
  /** The format of the value; absent on the single attempts written before batches. */
  public static final String FORMAT_HEADER = "bulletin-format";
  /** The random id of the instance (run) that wrote the batch. */
  public static final String INSTANCE_HEADER = "bulletin-instance";
  /** The channels of the batch's attempts, comma-separated. */
  public static final String CHANNELS_HEADER = "bulletin-channels";
  static final String FORMAT = "attempt-batch-1";
  private static final TypeReference<List<AttemptRecord>> LIST = new TypeReference<>() {};

  private AttemptBatch() {}

  /** The value of a batch: the attempts, each already JSON, as one array. */
  static byte[] value(List<byte[]> attempts) {
    int size = 2 + Math.max(0, attempts.size() - 1);
    for (byte[] a : attempts) {
      size += a.length;
    }
    byte[] out = new byte[size];
    out[0] = '[';
    int at = 1;
    for (int i = 0; i < attempts.size(); i++) {
      if (i > 0) {
        out[at++] = ',';
      }
      byte[] a = attempts.get(i);
      System.arraycopy(a, 0, out, at, a.length);
      at += a.length;
    }
    out[at] = ']';
    return out;
  }

  static List<Header> headers(String instance, Set<String> channels) {
    return List.of(header(FORMAT_HEADER, FORMAT), header(INSTANCE_HEADER, instance),
        header(CHANNELS_HEADER, String.join(",", channels)));
  }

  /** Every attempt of a record of either format. */
  public static List<AttemptRecord> read(Headers headers, byte[] value) {
    if (value == null) {
      throw new IllegalArgumentException("the record has no value");
    }
    String format = text(headers, FORMAT_HEADER);
    if (format == null) {
      return List.of(DeliveryJson.read(value, AttemptRecord.class));
    }
    if (!FORMAT.equals(format)) {
      throw new IllegalArgumentException("unknown attempt record format " + format);
    }
    try {
      return DeliveryJson.mapper().readValue(value, LIST);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The instance that wrote the record, or {@code null} for a record written before batches. */
  public static String instance(Headers headers) {
    return text(headers, INSTANCE_HEADER);
  }

  /** False only when the headers say that no attempt of {@code channel} is inside. */
  public static boolean mayHold(Headers headers, String channel) {
    String channels = text(headers, CHANNELS_HEADER);
    if (channels == null) {
      return true;
    }
    for (String c : channels.split(",")) {
      if (c.equals(channel)) {
        return true;
      }
    }
    return false;
  }

  static Set<String> channels(List<AttemptRecord> attempts) {
    Set<String> out = new LinkedHashSet<>();
    attempts.forEach(a -> out.add(a.channel()));
    return out;
  }

  private static Header header(String key, String value) {
    return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(Headers headers, String key) {
    Header h = headers == null ? null : headers.lastHeader(key);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
