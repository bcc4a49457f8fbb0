package org.bulletin.feed.websub;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One verified subscription: a callback receiving one topic until its lease expires.
 *
 * @param key {@link #keyOf} the topic and callback: the record key in the subscriptions topic
 * @param sealedSecret the subscriber's secret as sealed at rest ({@code enc:v1:…}), or {@code null}
 * @param verifiedAt when the subscriber last confirmed its intent (the lease runs from the request
 *     for that confirmation)
 * @param createdAt when this callback first subscribed to this topic
 */
public record HubSubscription(String key, String topic, String callback, long leaseSeconds, Instant expiresAt,
    String sealedSecret, Instant verifiedAt, Instant createdAt) {

  /** The subscription's key: one per (topic, callback) pair, whatever the instance. */
  public static String keyOf(String topic, String callback) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(topic.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) '\n'); // never in a URL, so no two pairs run together
      sha.update(callback.getBytes(StandardCharsets.UTF_8));
      return "ws_" + HexFormat.of().formatHex(sha.digest(), 0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** True while the lease runs: an expired subscription gets nothing. */
  public boolean activeAt(Instant now) {
    return expiresAt.isAfter(now);
  }

  @Override
  public String toString() {
    return "HubSubscription[" + key + " " + topic + " -> " + redacted(callback) + " until " + expiresAt + "]";
  }

  /** A callback URL fit for logs: its query (often a token) and user info replaced by {@code …}. */
  public static String redacted(String callback) {
    return org.bulletin.feed.delivery.LoggableUrl.of(callback);
  }
}
