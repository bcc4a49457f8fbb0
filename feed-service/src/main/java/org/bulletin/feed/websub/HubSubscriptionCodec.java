package org.bulletin.feed.websub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import org.bulletin.feed.secrets.SecretSealer;

/**
 * Subscriptions as JSON records of the subscriptions topic. Secrets are sealed by the caller
 * ({@link #seal}) before a record is built, with the subscription key as associated data, so a
 * sealed secret copied under another key does not open. Thread-safe.
 */
public final class HubSubscriptionCodec {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final SecretSealer sealer;

  public HubSubscriptionCodec(SecretSealer sealer) {
    this.sealer = sealer;
  }

  public String seal(String secret, String key) {
    return secret == null ? null : sealer.seal(secret, key);
  }

  /** The clear secret, or {@code null}. @throws org.bulletin.feed.secrets.SecretUnreadableException */
  public String open(HubSubscription s) {
    return s.sealedSecret() == null ? null : sealer.open(s.sealedSecret(), s.key());
  }

  public byte[] encode(HubSubscription s) {
    ObjectNode n = MAPPER.createObjectNode()
        .put("version", 1)
        .put("topic", s.topic())
        .put("callback", s.callback())
        .put("leaseSeconds", s.leaseSeconds())
        .put("expiresAt", s.expiresAt().toString())
        .put("verifiedAt", s.verifiedAt().toString())
        .put("createdAt", s.createdAt().toString());
    if (s.sealedSecret() != null) {
      n.put("secret", s.sealedSecret());
    }
    try {
      return MAPPER.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @throws IllegalArgumentException when the record is not a subscription */
  public HubSubscription decode(String key, byte[] value) {
    try {
      JsonNode n = MAPPER.readTree(value);
      String secret = n.hasNonNull("secret") ? n.get("secret").asText() : null;
      if (secret != null && sealer.clear(secret)) {
        throw new IllegalArgumentException("secret of " + key + " is not sealed");
      }
      return new HubSubscription(key, text(n, "topic"), text(n, "callback"), n.path("leaseSeconds").asLong(),
          Instant.parse(text(n, "expiresAt")), secret, Instant.parse(text(n, "verifiedAt")),
          Instant.parse(text(n, "createdAt")));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("unreadable WebSub subscription " + key + ": " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException(field + " is missing");
    }
    return v.asText();
  }
}
