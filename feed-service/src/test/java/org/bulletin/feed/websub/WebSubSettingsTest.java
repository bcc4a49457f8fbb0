package org.bulletin.feed.websub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.bulletin.feed.FeedSettings;
import org.bulletin.platform.config.Config;
import org.bulletin.platform.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The hub delivers through the webhooks' engine: it is on only with them, or the start fails. */
class WebSubSettingsTest {
  @Test
  void aHubWithoutWebhooksIsAConfigurationErrorNamingBothKeys() {
    Config config = Config.of(Map.of("api.tokens", "t", "websub.enabled", "true", "webhook.enabled", "false"));

    assertThatThrownBy(() -> WebSubSettings.from(config)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("websub.enabled").hasMessageContaining("BULLETIN_WEBSUB_ENABLED")
        .hasMessageContaining("webhook.enabled").hasMessageContaining("BULLETIN_WEBHOOK_ENABLED");
    // What the feed service parses at start: it refuses to start rather than run a hub that never delivers.
    assertThatThrownBy(() -> FeedSettings.from(config)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("webhook.enabled");
  }

  @Test
  void theDefaultHubIsAlsoRefusedWhenOnlyTheWebhooksAreTurnedOff() {
    assertThatThrownBy(() -> WebSubSettings.from(Config.of(Map.of("api.tokens", "t", "webhook.enabled", "false"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("websub.enabled=false");
  }

  @Test
  void bothOffIsAValidConfigurationWithoutAHub() {
    WebSubSettings settings = WebSubSettings.from(Config.of(Map.of("api.tokens", "t", "websub.enabled", "false",
        "webhook.enabled", "false")));

    assertThat(settings.enabled()).isFalse();
  }

  @Test
  void theHubIsOnWithTheWebhooksAndAnAdminToken() {
    assertThat(WebSubSettings.from(Config.of(Map.of("api.tokens", "t"))).enabled()).isTrue();
  }

  @Test
  void withoutAdminTokensTheHubIsOffLikeTheWebhooks() {
    assertThat(WebSubSettings.from(Config.of(Map.of("api.tokens", ""))).enabled()).isFalse();
  }
}
