package org.bulletin.platform.auth;

import java.time.Instant;

/**
 * A partner organisation: a tenant whose keys manage only its own subscriptions.
 *
 * @param enabled a disabled partner's keys are refused (its subscriptions keep their own state)
 * @param sessionsNotBefore portal links and sessions issued before this are refused (set when the
 *     partner is disabled, so enabling it again does not bring back a session it was disabled to end);
 *     null: none refused
 */
public record Partner(String id, String name, boolean enabled, Instant createdAt, Instant updatedAt,
    Instant sessionsNotBefore) {
  public Partner(String id, String name, boolean enabled, Instant createdAt, Instant updatedAt) {
    this(id, name, enabled, createdAt, updatedAt, null);
  }

  public Partner renamed(String newName, Instant now) {
    return new Partner(id, newName, enabled, createdAt, now, sessionsNotBefore);
  }

  public Partner withEnabled(boolean on, Instant now) {
    // Rounded up to a whole second: portal tokens carry whole seconds, so nothing made before it passes.
    Instant notBefore = now.getNano() == 0 ? now : Instant.ofEpochSecond(now.getEpochSecond() + 1);
    return new Partner(id, name, on, createdAt, now, on ? sessionsNotBefore : notBefore);
  }
}
