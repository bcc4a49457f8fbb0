package org.bulletin.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bulletin.platform.config.Config;
import org.junit.jupiter.api.Test;

/** The README's configuration table lists every key the code reads, with its variable and default. */
class ReadmeTest {
  private static final Path ROOT = Path.of(System.getProperty("bulletin.repo.root", ".."));

  @Test
  void configurationTableListsEveryKeyWithItsVariableAndDefault() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    for (Map.Entry<String, String> e : Config.of(Map.of()).asMap().entrySet()) {
      String row = "| `" + e.getKey() + "` | `" + Config.envName(e.getKey()) + "` | "
          + (e.getValue().isEmpty() ? "(none)" : "`" + e.getValue() + "`") + " |";
      assertThat(readme).as("README row for " + e.getKey()).contains(row);
    }
  }

  @Test
  void theTwoCommandsComeFirst() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int up = readme.indexOf("./bulletin up");
    int verify = readme.indexOf("./mvnw verify");
    assertThat(up).isPositive().isLessThan(readme.indexOf("## "));
    assertThat(verify).isPositive().isLessThan(readme.indexOf("## "));
    assertThat(Files.readString(ROOT.resolve(".ci/run"))).contains("./mvnw verify");
  }

  @Test
  void everyBashBlockIsWalkedByTheWalkthroughTestOrSaysWhyNot() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int blocks = readme.split("```bash\n", -1).length - 1;
    java.util.regex.Matcher marked = ReadmeWalkthroughIT.BLOCK.matcher(readme);
    int markedBlocks = 0;
    while (marked.find()) {
      markedBlocks++;
    }
    assertThat(markedBlocks).as("bash blocks preceded by <!-- readme-walk --> or <!-- readme-walk: skip (why) -->")
        .isEqualTo(blocks);
    assertThat(ReadmeWalkthroughIT.walkedBlocks(readme)).anyMatch(b -> b.contains("./bulletin listen"))
        .anyMatch(b -> b.contains("/v1/subscriptions"));
  }

  @Test
  void namesBothLocalWebhookSettingsAndNoLongerCallsWebhooksNext() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertThat(readme).contains("BULLETIN_WEBHOOK_ALLOW_HTTP").contains("BULLETIN_WEBHOOK_ALLOWLIST")
        .doesNotContain("(next)").doesNotContain("next, to").doesNotContain("partner.example");
  }
}
