package org.bulletin.feed.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads a delivery task record, or says why it can never be delivered (a poison record: no value,
 * over the size limit, not JSON, a field missing). Poison goes to the dead-letter topic with that
 * reason, so the partition moves on and nothing is dropped silently.
 */
final class TaskReader {
  /** Of a poison record's value, at most this much is copied into its dead-letter record. */
  private static final int KEPT_BYTES = 64 * 1024;

  /** Either a task or the reason there is none. */
  record Read(DeliveryTask task, String problem) {
    boolean poison() {
      return problem != null;
    }
  }

  private final int maxBytes;

  TaskReader(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  Read read(byte[] value) {
    if (value == null) {
      return poison("the record has no value");
    }
    if (value.length > maxBytes) {
      return poison("the record has " + value.length + " bytes, over the limit of " + maxBytes);
    }
    DeliveryTask task;
    try {
      task = DeliveryJson.read(value, DeliveryTask.class);
    } catch (RuntimeException e) {
      return poison("not a delivery task: " + firstLine(e.getMessage()));
    }
    if (task == null) {
      return poison("the record's value is JSON null");
    }
    if (blank(task.endpointId())) {
      return poison("the task has no endpointId");
    }
    if (blank(task.messageId())) {
      return poison("the task has no messageId");
    }
    if (task.payload() == null || task.payload().length == 0) {
      return poison("the task has no payload");
    }
    if (task.attempt() < 1) {
      return poison("the task's attempt is " + task.attempt() + ", not 1 or more");
    }
    return new Read(task, null);
  }

  /** The dead-letter record of a poison task record: where it was, why, and (a prefix of) its value. */
  static byte[] deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("reason", reason);
    out.put("at", Instant.now().toString());
    out.put("topic", record.topic());
    out.put("partition", record.partition());
    out.put("offset", record.offset());
    out.put("key", record.key());
    byte[] value = record.value();
    if (value != null) {
      out.put("valueBytes", value.length);
      int kept = Math.min(value.length, KEPT_BYTES);
      out.put("value", new String(value, 0, kept, StandardCharsets.UTF_8));
    }
    return DeliveryJson.write(out);
  }

  private static Read poison(String problem) {
    return new Read(null, problem);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    String line = nl < 0 ? message : message.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) : line;
  }
}
