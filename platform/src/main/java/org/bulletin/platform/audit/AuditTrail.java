package org.bulletin.platform.audit;

/**
 * Where actions are recorded. Recording never fails the action: a record that cannot be written is
 * logged (without secrets) and counted.
 */
@FunctionalInterface
public interface AuditTrail {
  void record(AuditEntry entry);
}
