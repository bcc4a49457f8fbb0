package org.bulletin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bulletin.testkit.KafkaBroker;
import org.bulletin.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The report page and the index in Debian's headless Chromium, at phone and desktop widths. */
@ExtendWith(KafkaBrokerExtension.class)
class ReportPageBrowserIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @TempDir
  Path dir;

  private String chromium(String url, String... extra) throws Exception {
    List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + dir.resolve("profile-" + System.nanoTime())));
    command.addAll(List.of(extra));
    command.add(url);
    Process p = new ProcessBuilder(command).redirectError(dir.resolve("chromium.err").toFile()).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String(out, StandardCharsets.UTF_8);
  }

  @Test
  void reportPageRendersInARealBrowserOnPhoneAndDesktop(KafkaBroker broker) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "Debian's chromium is not installed (.ci/run installs it)");
    try (FeedFixture fixture = new FeedFixture(broker.bootstrapServers(), Map.of())) {
      FeedFixture.Feed feed = fixture.startFeed();
      String id = fixture.publishSample("huiji-economic-operation-meeting.txt");
      feed.await("/reports/" + id, b -> b.contains("Wei Dong"));
      String base = "http://127.0.0.1:" + feed.verticle.actualPort();

      String dom = chromium(base + "/reports/" + id, "--dump-dom");
      assertThat(dom).contains("<h1>Huiji district held economic operation analysis meeting</h1>")
          .contains("Wei Dong (secretary of the District Party Committee)")
          .contains("<li>Zheng Jianming</li>")
          .contains("Website of Huiji District People’s Government")
          .contains("<time datetime=\"2022-03-23\">23 March 2022</time>");

      for (String size : List.of("390,844", "1280,900")) {
        Path png = dir.resolve("report-" + size.replace(',', 'x') + ".png");
        chromium(base + "/reports/" + id, "--screenshot=" + png, "--window-size=" + size);
        assertThat(png).exists();
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).as("screenshot " + size).isGreaterThan(10_000);
        assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        Path keep = Path.of("target", "screenshots");
        Files.createDirectories(keep);
        Files.copy(png, keep.resolve(png.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }

      String index = chromium(base + "/", "--dump-dom");
      assertThat(index).contains("/feeds/reports.rss").contains("/feeds/districts/huiji-district.atom")
          .contains("Huiji district held economic operation analysis meeting");
    }
  }
}
