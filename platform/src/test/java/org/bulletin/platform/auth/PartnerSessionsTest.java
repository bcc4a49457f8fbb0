package org.bulletin.platform.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PartnerSessionsTest {
  private final Instant t0 = Instant.parse("2026-11-27T10:00:00.250Z");

  @Test
  void disablingSetsSessionsNotBeforeRoundedUpAndEnablingOrRenamingKeepsIt() {
    Partner p = new Partner("prt_1", "A", true, t0, t0);
    assertThat(p.sessionsNotBefore()).isNull();
    Partner off = p.withEnabled(false, t0.plusSeconds(5));
    assertThat(off.sessionsNotBefore()).isEqualTo(Instant.parse("2026-11-27T10:00:06Z"));
    Partner on = off.withEnabled(true, t0.plusSeconds(9)).renamed("B", t0.plusSeconds(10));
    assertThat(on.enabled()).isTrue();
    assertThat(on.sessionsNotBefore()).isEqualTo(off.sessionsNotBefore());
  }

  @Test
  void sessionsNotBeforeSurvivesTheCredentialsTopic() {
    Partner off = new Partner("prt_1", "A", true, t0, t0).withEnabled(false, t0);
    assertThat(CredentialCodec.decodePartner(CredentialCodec.encode(off))).isEqualTo(off);
    Partner never = new Partner("prt_2", "B", true, t0, t0);
    assertThat(CredentialCodec.decodePartner(CredentialCodec.encode(never)).sessionsNotBefore()).isNull();
  }
}
