package org.bulletin.feed.secrets;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.bulletin.platform.config.Config;
import org.bulletin.platform.config.ConfigException;

/**
 * The keys that encrypt signing secrets at rest: {@code secrets.keys} lists {@code id:base64} pairs
 * (32-byte AES-256 keys), {@code secrets.active.key} names the one new records are sealed with; the
 * others still open records sealed before a rotation. Never printed.
 */
public final class SecretKeys {
  private final Map<String, SecretKey> keys;
  private final String activeId;

  private SecretKeys(Map<String, SecretKey> keys, String activeId) {
    this.keys = Map.copyOf(keys);
    this.activeId = activeId;
  }

  /** None configured: {@link #isEmpty()}; the webhook service refuses to start without keys. */
  public static SecretKeys from(Config config) {
    List<String> entries = config.list("secrets.keys");
    Map<String, SecretKey> keys = new LinkedHashMap<>();
    for (String entry : entries) {
      int colon = entry.indexOf(':');
      String id = colon < 0 ? "" : entry.substring(0, colon);
      if (!id.matches("[A-Za-z0-9_.-]{1,32}")) {
        throw new ConfigException("secrets.keys (BULLETIN_SECRETS_KEYS): each entry is id:base64-key with an id of"
            + " letters, digits, '.', '_' or '-' (at most 32)");
      }
      byte[] material;
      try {
        material = Base64.getDecoder().decode(entry.substring(colon + 1));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("secrets.keys (BULLETIN_SECRETS_KEYS): key " + id + " is not base64");
      }
      if (material.length != 32) {
        throw new ConfigException("secrets.keys (BULLETIN_SECRETS_KEYS): key " + id
            + " must be 32 bytes (AES-256), base64-encoded; it has " + material.length);
      }
      if (keys.put(id, new SecretKeySpec(material, "AES")) != null) {
        throw new ConfigException("secrets.keys (BULLETIN_SECRETS_KEYS): key id " + id + " appears twice");
      }
    }
    String active = config.string("secrets.active.key", keys.isEmpty() ? null : keys.keySet().iterator().next());
    if (active != null && !keys.containsKey(active)) {
      throw new ConfigException("secrets.active.key (BULLETIN_SECRETS_ACTIVE_KEY) names " + active
          + ", which secrets.keys does not list");
    }
    return new SecretKeys(keys, active);
  }

  public static SecretKeys of(Map<String, byte[]> material, String activeId) {
    Map<String, SecretKey> keys = new LinkedHashMap<>();
    material.forEach((id, bytes) -> keys.put(id, new SecretKeySpec(bytes, "AES")));
    return new SecretKeys(keys, activeId);
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  String activeId() {
    return activeId;
  }

  SecretKey active() {
    return keys.get(activeId);
  }

  SecretKey get(String id) {
    return keys.get(id);
  }

  @Override
  public String toString() {
    return "SecretKeys[ids=" + keys.keySet() + ", active=" + activeId + "]";
  }
}
