package org.bulletin.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bulletin.platform.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevelopmentWebhooksTest {
  @TempDir
  Path dir;

  @Test
  void relaxesHttpAndLoopbackWhenTheOperatorConfiguredNeither() {
    Map<String, String> relaxed = DevelopmentWebhooks.relaxations(null, Map.of());
    assertThat(relaxed).containsEntry("webhook.allow.http", "true")
        .containsEntry("webhook.allowlist", "127.0.0.1/32,::1/128");
    assertThat(DevelopmentWebhooks.banner(relaxed)).contains("development mode")
        .contains("BULLETIN_WEBHOOK_ALLOW_HTTP").contains("BULLETIN_WEBHOOK_ALLOWLIST");
  }

  @Test
  void leavesEverySettingTheOperatorConfiguredAlone() throws Exception {
    assertThat(DevelopmentWebhooks.relaxations(null, Map.of("BULLETIN_WEBHOOK_ALLOW_HTTP", "false")))
        .containsOnlyKeys("webhook.allowlist");
    Path file = Files.writeString(dir.resolve("bulletin.properties"), "webhook.allowlist=\n");
    assertThat(DevelopmentWebhooks.relaxations(file, Map.of())).containsOnlyKeys("webhook.allow.http");
    assertThat(DevelopmentWebhooks.relaxations(null, Map.of(Config.CONFIG_FILE_ENV, file.toString(),
        "BULLETIN_WEBHOOK_ALLOW_HTTP", "true"))).isEmpty();
    assertThat(DevelopmentWebhooks.banner(Map.of())).isNull();
  }

  @Test
  void productionDefaultsStayStrict() {
    Config defaults = Config.of(Map.of());
    assertThat(defaults.string("webhook.allow.http")).isEqualTo("false");
    assertThat(defaults.list("webhook.allowlist")).isEmpty();
  }
}
