package org.bulletin.platform.auth;

import java.time.Instant;

/**
 * A partner organisation: a tenant whose keys manage only its own subscriptions.
 *
 * @param enabled a disabled partner's keys are refused (its subscriptions keep their own state)
 */
public record Partner(String id, String name, boolean enabled, Instant createdAt, Instant updatedAt) {
  public Partner renamed(String newName, Instant now) {
    return new Partner(id, newName, enabled, createdAt, now);
  }

  public Partner withEnabled(boolean on, Instant now) {
    return new Partner(id, name, on, createdAt, now);
  }
}
