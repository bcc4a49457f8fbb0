package org.bulletin.feed.delivery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of a {@link DeliveryTask} record, written and read with Jackson's streaming API (no
 * tree, no escaping of the body). An {@code application/json} payload travels as JSON, unescaped,
 * as the last field; any other payload as base64 ({@code payloadBase64}). Reading slices a JSON
 * payload's bytes out of the record instead of parsing it into a tree and writing it again.
 *
 * <p>Tasks written before channels existed ({@code webhookId}, {@code subscriptionId},
 * {@code eventId}, {@code eventType}, {@code reportId}, {@code eventTime}, a JSON {@code payload})
 * are read as webhook tasks: message id, endpoint id and labels, content type JSON. Thread-safe.
 */
public final class TaskCodec {
  /** The channel of tasks that name none: written before channels existed, all webhooks. */
  public static final String LEGACY_CHANNEL = "webhook";
  private static final JsonFactory FACTORY = DeliveryJson.mapper().getFactory();
  private static final byte[] PAYLOAD_FIELD = ",\"payload\":".getBytes(StandardCharsets.UTF_8);

  private TaskCodec() {}

  public static byte[] encode(DeliveryTask t) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + (t.payload() == null ? 0 : t.payload().length));
    boolean rawJson = t.payload() != null && isJson(t.contentType());
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
      g.writeStartObject();
      g.writeStringField("channel", t.channel());
      g.writeStringField("endpointId", t.endpointId());
      g.writeStringField("messageId", t.messageId());
      writeMap(g, "labels", t.labels());
      if (t.createdAt() != null) {
        g.writeStringField("createdAt", t.createdAt().toString());
      }
      g.writeStringField("contentType", t.contentType());
      writeHeaders(g, t.headers());
      g.writeNumberField("attempt", t.attempt());
      g.writeNumberField("notBefore", t.notBefore());
      g.writeNumberField("sourcePartition", t.sourcePartition());
      g.writeNumberField("sourceOffset", t.sourceOffset());
      g.writeNumberField("dueAt", t.dueAt());
      if (!rawJson) {
        if (t.payload() != null) {
          g.writeFieldName("payloadBase64");
          g.writeBinary(t.payload());
        }
        g.writeEndObject();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (rawJson) {
      out.writeBytes(PAYLOAD_FIELD);
      out.writeBytes(t.payload());
      out.write('}');
    }
    return out.toByteArray();
  }

  /**
   * Reads a task record; {@code null} for JSON {@code null}.
   *
   * @throws IllegalArgumentException when the bytes are not a task's JSON
   */
  public static DeliveryTask decode(byte[] value) {
    try (JsonParser p = FACTORY.createParser(value)) {
      return read(p, value);
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static DeliveryTask read(JsonParser p, byte[] source) throws IOException {
    JsonToken first = p.nextToken();
    if (first == JsonToken.VALUE_NULL) {
      return null;
    }
    if (first != JsonToken.START_OBJECT) {
      throw new IllegalArgumentException("a task is a JSON object");
    }
    String channel = null;
    String endpointId = null;
    String messageId = null;
    Map<String, String> labels = null;
    Map<String, String> legacyLabels = null;
    Instant createdAt = null;
    String contentType = null;
    Map<String, List<String>> headers = null;
    byte[] payload = null;
    int attempt = 0;
    long notBefore = 0;
    int sourcePartition = 0;
    long sourceOffset = 0;
    long dueAt = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "channel" -> channel = text(p);
        case "endpointId", "subscriptionId" -> endpointId = text(p);
        case "messageId", "webhookId" -> messageId = text(p);
        case "labels" -> labels = readMap(p);
        case "eventId", "eventType", "reportId" -> {
          String v = text(p);
          if (v != null) {
            legacyLabels = legacyLabels == null ? new LinkedHashMap<>() : legacyLabels;
            legacyLabels.put(name, v);
          }
        }
        case "createdAt", "eventTime" -> {
          String v = text(p);
          createdAt = v == null ? null : Instant.parse(v);
        }
        case "contentType" -> contentType = text(p);
        case "headers" -> headers = readHeaders(p);
        case "payload" -> payload = payload(p, value, source);
        case "payloadBase64" -> payload = value == JsonToken.VALUE_NULL ? null : p.getBinaryValue();
        case "attempt" -> attempt = p.getValueAsInt();
        case "notBefore" -> notBefore = p.getValueAsLong();
        case "sourcePartition" -> sourcePartition = p.getValueAsInt();
        case "sourceOffset" -> sourceOffset = p.getValueAsLong();
        case "dueAt" -> dueAt = p.getValueAsLong();
        default -> p.skipChildren();
      }
    }
    if (p.currentToken() != JsonToken.END_OBJECT) {
      throw new IllegalArgumentException("a task is a JSON object");
    }
    if (labels == null) {
      labels = legacyLabels == null ? Map.of() : legacyLabels;
    }
    return new DeliveryTask(channel == null ? LEGACY_CHANNEL : channel, endpointId, messageId, labels, createdAt,
        contentType, headers, payload, attempt, notBefore, sourcePartition, sourceOffset, dueAt);
  }

  /** A JSON payload's exact bytes; a string is a body written escaped, by an older version. */
  private static byte[] payload(JsonParser p, JsonToken value, byte[] source) throws IOException {
    if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
      int start = (int) p.currentTokenLocation().getByteOffset();
      p.skipChildren();
      int end = (int) p.currentTokenLocation().getByteOffset() + 1;
      return Arrays.copyOfRange(source, start, end);
    }
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    return p.getText().getBytes(StandardCharsets.UTF_8);
  }

  private static String text(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    if (p.currentToken().isStructStart()) {
      throw new IllegalArgumentException("field " + p.currentName() + " must be text");
    }
    return p.getText();
  }

  private static Map<String, String> readMap(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new IllegalArgumentException("field " + p.currentName() + " must be an object");
    }
    Map<String, String> out = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      p.nextToken();
      String v = text(p);
      if (v != null) {
        out.put(key, v);
      }
    }
    return out;
  }

  private static void writeHeaders(JsonGenerator g, Map<String, List<String>> headers) throws IOException {
    if (headers.isEmpty()) {
      return;
    }
    g.writeObjectFieldStart("headers");
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      g.writeArrayFieldStart(e.getKey());
      for (String v : e.getValue()) {
        g.writeString(v);
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static Map<String, List<String>> readHeaders(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new IllegalArgumentException("field headers must be an object");
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new IllegalArgumentException("header " + name + " must be an array of values");
      }
      List<String> values = new ArrayList<>(2);
      while (p.nextToken() != JsonToken.END_ARRAY) {
        values.add(text(p));
      }
      out.put(name, List.copyOf(values));
    }
    return out;
  }

  private static void writeMap(JsonGenerator g, String field, Map<String, String> map) throws IOException {
    if (map.isEmpty()) {
      return;
    }
    g.writeObjectFieldStart(field);
    for (Map.Entry<String, String> e : map.entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  /** {@code application/json} (parameters ignored): the only type that travels unescaped. */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semi = contentType.indexOf(';');
    String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    return type.equalsIgnoreCase(DeliveryTask.JSON);
  }

  /** Embeds a task in other records (dead letters) as its own JSON. */
  static final class Serializer extends JsonSerializer<DeliveryTask> {
    @Override
    public void serialize(DeliveryTask task, JsonGenerator g, SerializerProvider provider) throws IOException {
      g.writeRawValue(new String(encode(task), StandardCharsets.UTF_8));
    }
  }

  /** Reads a task embedded in another record. */
  static final class Deserializer extends JsonDeserializer<DeliveryTask> {
    @Override
    public DeliveryTask deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      byte[] bytes = DeliveryJson.mapper().writeValueAsBytes(p.readValueAsTree());
      return decode(bytes);
    }
  }
}
