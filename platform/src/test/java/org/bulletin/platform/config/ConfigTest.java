package org.bulletin.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
  @TempDir
  Path dir;

  @Test
  void environmentOverridesFileWhichOverridesDefaults() throws Exception {
    Path file = dir.resolve("b.properties");
    Files.writeString(file, "producer.http.port=9001\nfeed.http.port=9002\n");
    Config config = Config.load(file, Map.of("BULLETIN_FEED_HTTP_PORT", "9003", "OTHER", "x"), Map.of());

    assertThat(config.integer("producer.http.port", 0, 65535)).isEqualTo(9001);
    assertThat(config.integer("feed.http.port", 0, 65535)).isEqualTo(9003);
    assertThat(config.string("topics.reports")).isEqualTo("bulletin.reports.v1");
  }

  @Test
  void fileNamedByBulletinConfigIsRead() throws Exception {
    Path file = dir.resolve("c.properties");
    Files.writeString(file, "topics.reports=custom\n");
    Config config = Config.load(null, Map.of("BULLETIN_CONFIG", file.toString()), Map.of());
    assertThat(config.string("topics.reports")).isEqualTo("custom");
  }

  @Test
  void kafkaKeysArePassedToClientsWithoutPrefix() {
    Config config = Config.load(null, Map.of("BULLETIN_KAFKA_BOOTSTRAP_SERVERS", "b:9092",
        "BULLETIN_KAFKA_SECURITY_PROTOCOL", "SSL"), Map.of());
    assertThat(config.withPrefix("kafka."))
        .containsEntry("bootstrap.servers", "b:9092")
        .containsEntry("security.protocol", "SSL");
  }

  @Test
  void errorsNameTheKeyAndItsVariable() {
    Config config = Config.of(Map.of("producer.http.port", "eighty"));
    assertThatThrownBy(() -> config.integer("producer.http.port", 0, 65535))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("producer.http.port")
        .hasMessageContaining("BULLETIN_PRODUCER_HTTP_PORT")
        .hasMessageContaining("eighty");
    assertThatThrownBy(() -> Config.of(Map.of("feed.http.port", "70000")).integer("feed.http.port", 0, 65535))
        .hasMessageContaining("between 0 and 65535");
  }

  @Test
  void missingFileIsAnError() {
    assertThatThrownBy(() -> Config.load(dir.resolve("nope.properties"), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("does not exist");
  }

  @Test
  void toStringMasksSecrets() {
    Config config = Config.of(Map.of("api.tokens", "s3cret-token", "kafka.sasl.jaas.config", "password=pw"));
    assertThat(config.toString()).doesNotContain("s3cret-token").doesNotContain("password=pw").contains("api.tokens=****");
  }

  @Test
  void listDropsEmptyItems() {
    assertThat(Config.of(Map.of("api.tokens", " a, ,b ,")).list("api.tokens")).containsExactly("a", "b");
  }

  @Test
  void envNameIsTheInverseOfTheMapping() {
    assertThat(Config.envName("kafka.bootstrap.servers")).isEqualTo("BULLETIN_KAFKA_BOOTSTRAP_SERVERS");
    assertThat(Config.envEntries(Map.of(Config.envName("feed.items.per.document"), "7")))
        .containsEntry("feed.items.per.document", "7");
  }
}
