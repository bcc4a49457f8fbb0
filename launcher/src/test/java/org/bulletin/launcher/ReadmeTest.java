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
}
