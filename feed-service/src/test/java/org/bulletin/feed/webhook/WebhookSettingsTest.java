package org.bulletin.feed.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.bulletin.platform.config.Config;
import org.bulletin.platform.config.ConfigException;
import org.junit.jupiter.api.Test;

class WebhookSettingsTest {
  @Test
  void theApiBodyLimitDefaultsTo64KibAndIsConfigurable() {
    assertThat(WebhookSettings.from(Config.of(Map.of())).apiBodyLimitBytes()).isEqualTo(65_536);
    assertThat(WebhookSettings.from(Config.of(Map.of("webhook.api.body.limit.bytes", "131072")))
        .apiBodyLimitBytes()).isEqualTo(131_072);
  }

  @Test
  void anApiBodyLimitBelowOneKibIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> WebhookSettings.from(Config.of(Map.of("webhook.api.body.limit.bytes", "10"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("webhook.api.body.limit.bytes");
  }
}
