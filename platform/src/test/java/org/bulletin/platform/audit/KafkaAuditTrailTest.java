package org.bulletin.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bulletin.platform.auth.Actor;
import org.bulletin.platform.auth.Principal;
import org.junit.jupiter.api.Test;

class KafkaAuditTrailTest {
  private final List<String> keys = new ArrayList<>();
  private boolean brokerDown;

  private final KafkaAuditTrail trail = new KafkaAuditTrail((key, value) -> {
    keys.add(key);
    return brokerDown ? Future.failedFuture(new IllegalStateException("broker down")) : Future.succeededFuture();
  });

  private static AuditEntry entry(String action) {
    return AuditEntry.of(new Actor(Principal.admin("token-1"), "127.0.0.1"), Instant.EPOCH, action, null, null, "ok");
  }

  @Test
  void aFailedWriteIsCountedAndKeepsTheTrailFailingUntilAWriteSucceeds() {
    trail.record(entry("secrets.reseal"));
    assertThat(trail.failing()).isFalse();
    assertThat(trail.failures()).isZero();

    brokerDown = true;
    trail.record(entry("secrets.reseal"));
    trail.record(entry("partner.create"));
    assertThat(trail.failing()).isTrue();
    assertThat(trail.failures()).isEqualTo(2);

    brokerDown = false;
    trail.record(entry("partner.create"));
    assertThat(trail.failing()).as("recovers by itself once writes go through").isFalse();
    assertThat(trail.failures()).as("the count is never reset").isEqualTo(2);
    assertThat(keys).containsOnly("-");
  }
}
