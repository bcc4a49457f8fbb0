package org.bulletin.feed.websub;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Where a page of the admins' listing of a topic's subscriptions ended: the last subscription's
 * creation time and key (the listing's order), opaque to clients (base64url).
 */
record ListingCursor(Instant createdAt, String key) {

  static ListingCursor of(HubSubscription s) {
    return new ListingCursor(s.createdAt(), s.key());
  }

  /** @return null for no cursor; throws IllegalArgumentException for one this listing did not give */
  static ListingCursor parse(String raw) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    if (raw.length() > 200) {
      throw new IllegalArgumentException("too long");
    }
    String text = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8);
    int space = text.indexOf(' ');
    if (space < 0) {
      throw new IllegalArgumentException("no key");
    }
    try {
      return new ListingCursor(Instant.parse(text.substring(0, space)), text.substring(space + 1));
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException(e);
    }
  }

  String encode() {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((createdAt + " " + key).getBytes(StandardCharsets.UTF_8));
  }

  /** Whether {@code s} comes after this cursor in the listing's order. */
  boolean before(HubSubscription s) {
    int c = s.createdAt().compareTo(createdAt);
    return c > 0 || (c == 0 && s.key().compareTo(key) > 0);
  }
}
