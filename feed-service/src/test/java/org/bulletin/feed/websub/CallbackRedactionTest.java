package org.bulletin.feed.websub;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CallbackRedactionTest {
  @Test
  void logsShowNoQueryStringFragmentOrUserInfoOfACallback() {
    assertThat(HubSubscription.redacted("https://agg.test/cb?token=s3cret&feed=1#x")).isEqualTo("https://agg.test/cb?…");
    assertThat(HubSubscription.redacted("https://user:pw@agg.test/cb")).isEqualTo("https://…@agg.test/cb");
    assertThat(HubSubscription.redacted("https://agg.test/cb")).isEqualTo("https://agg.test/cb");
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(new HubSubscription("ws_1", "https://f.test/feeds/reports.atom", "https://agg.test/cb?token=s3cret", 60,
        t, null, t, t).toString()).doesNotContain("s3cret");
  }
}
