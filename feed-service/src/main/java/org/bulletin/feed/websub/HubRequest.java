package org.bulletin.feed.websub;

import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;

/**
 * One subscription request (WebSub 5.1), from its form parameters. Unknown parameters are
 * ignored; a {@code hub.*} parameter given twice is refused, since which one was meant is unknown.
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
    for (String name : java.util.List.of("hub.mode", "hub.callback", "hub.topic", "hub.lease_seconds", "hub.secret")) {
      if (form.getAll(name).size() > 1) {
        throw bad(name + " is given more than once");
      }
    }
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
      if (!leaseText.matches("[0-9]{1,1000}")) {
        throw bad("hub.lease_seconds must be a whole number of seconds");
      }
      // Longer than any bound: cut to the maximum like any lease above it.
      lease = leaseText.length() > 12 ? 999_999_999_999L : Long.parseLong(leaseText);
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
    if (!value.regionMatches(true, 0, "http://", 0, 7) && !value.regionMatches(true, 0, "https://", 0, 8)) {
      throw bad(name + " must be an absolute http or https URL");
    }
    if (value.indexOf('#') >= 0) {
      // A fragment never reaches the server: /cb and /cb#x would be two subscriptions of one URL.
      throw bad(name + " must not have a fragment (#...)");
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
