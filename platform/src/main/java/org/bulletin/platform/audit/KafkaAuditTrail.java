package org.bulletin.platform.audit;

import io.vertx.core.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends audit entries to the audit topic, keyed by partner (or {@code -} for none) so one
 * partner's entries keep their order. A failed write is logged (action and target only) and counted,
 * and {@link #failing()} stays true until a later write succeeds, so readiness can say so; the action
 * it records has already happened.
 */
public final class KafkaAuditTrail implements AuditTrail {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaAuditTrail.class);

  private final BiFunction<String, byte[], Future<?>> sender;
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean failing;

  /** @param sender writes one record (key, value) to the audit topic durably */
  public KafkaAuditTrail(BiFunction<String, byte[], Future<?>> sender) {
    this.sender = sender;
  }

  @Override
  public void record(AuditEntry entry) {
    sender.apply(entry.partnerId() == null ? "-" : entry.partnerId(), entry.encode()).onSuccess(m -> failing = false)
        .onFailure(e -> {
      failing = true;
      failures.incrementAndGet();
      LOG.error("Audit record of {} on {} by {} {} not written: {}", entry.action(), entry.target(), entry.kind(),
          entry.keyId(), e.toString());
    });
  }

  /** True while the latest write that completed failed (writes complete on the producer's thread). */
  public boolean failing() {
    return failing;
  }

  /** Audit records that could not be written. */
  public long failures() {
    return failures.get();
  }
}
