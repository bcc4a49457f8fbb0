package org.bulletin.feed.websub;

import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;

/**
 * One subscription request (WebSub 5.1), from its form parameters. Unknown parameters are
 * ignored; a repeated parameter counts once (its first value).
 *
 * @param leaseSeconds the lease asked for, or {@code null}
 * @param secret the subscriber's secret for signatures, or {@code null} (none, or empty)
 */
public record HubRequest(Mode mode, String callback, String topic, Long leaseSeconds, String secret) {
  /** WebSub 5.1: a secret is less than 200 bytes. */
  public static final int MAX_SECRET_BYTES = 199;
  /** Longest callback or topic URL accepted. */
  public static final int MAX_URL_CHARS = 2048;

  public enum Mode {
    SUBSCRIBE, UNSUBSCRIBE;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** @throws HubRequestException (400) naming the first parameter that is missing or invalid */
  public static HubRequest parse(MultiMap form) throws HubRequestException {
    String mode = form.get("hub.mode");
    Mode m;
    if ("subscribe".equals(mode)) {
      m = Mode.SUBSCRIBE;
    } else if ("unsubscribe".equals(mode)) {
      m = Mode.UNSUBSCRIBE;
    } else {
      throw bad(mode == null ? "hub.mode is missing; it must be subscribe or unsubscribe"
          : "hub.mode must be subscribe or unsubscribe");
    }
    String callback = url(form, "hub.callback");
    String topic = url(form, "hub.topic");
    Long lease = null;
    String leaseText = form.get("hub.lease_seconds");
    if (leaseText != null && !leaseText.isEmpty()) {
      if (!leaseText.matches("[0-9]{1,12}")) {
        throw bad("hub.lease_seconds must be a whole number of seconds");
      }
      lease = Long.parseLong(leaseText);
    }
    String secret = form.get("hub.secret");
    if (secret != null && secret.isEmpty()) {
      secret = null;
    }
    if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length > MAX_SECRET_BYTES) {
      throw bad("hub.secret must be less than 200 bytes");
    }
    return new HubRequest(m, callback, topic, lease, secret);
  }

  private static String url(MultiMap form, String name) throws HubRequestException {
    String value = form.get(name);
    if (value == null || value.isBlank()) {
      throw bad(name + " is missing");
    }
    if (value.length() > MAX_URL_CHARS) {
      throw bad(name + " is longer than " + MAX_URL_CHARS + " characters");
    }
    if (!value.startsWith("http://") && !value.startsWith("https://")) {
      throw bad(name + " must be an absolute http or https URL");
    }
    return value;
  }

  private static HubRequestException bad(String reason) {
    return new HubRequestException(400, reason);
  }

  @Override
  public String toString() {
    // Never the secret: requests end up in logs.
    return "HubRequest[" + mode.wire() + " " + topic + " -> " + callback + "]";
  }
}
