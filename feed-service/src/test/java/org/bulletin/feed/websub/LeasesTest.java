package org.bulletin.feed.websub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LeasesTest {
  private final Leases leases = new Leases(864_000, 3_600, 2_592_000);

  @Test
  void noRequestedLeaseGetsTheDefault() {
    assertThat(leases.grant(null)).isEqualTo(864_000);
  }

  @Test
  void aRequestedLeaseIsKeptWithinTheBounds() {
    assertThat(leases.grant(7_200L)).isEqualTo(7_200);
    assertThat(leases.grant(0L)).as("no perpetual or empty lease").isEqualTo(3_600);
    assertThat(leases.grant(1L)).isEqualTo(3_600);
    assertThat(leases.grant(999_999_999_999L)).isEqualTo(2_592_000);
  }

  @Test
  void boundsThatContradictEachOtherAreRefusedAtStart() {
    assertThatThrownBy(() -> new Leases(10, 20, 5)).hasMessageContaining("websub.lease.min.seconds");
    assertThatThrownBy(() -> new Leases(1, 20, 50)).hasMessageContaining("websub.lease.default.seconds");
  }
}
