package org.bulletin.feed.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.bulletin.feed.view.Entry;
import org.bulletin.feed.view.EntryKey;
import org.bulletin.schema.MeetingReport;
import org.junit.jupiter.api.Test;

class PageRendererTest {
  private final PageRenderer pages = new PageRenderer(new Links("https://feeds.example", "bulletin.dev,2024"),
      "Bulletin");

  @Test
  void reportPageShowsItsLastUpdateHumanReadableWithAMachineReadableTime() {
    MeetingReport report = new MeetingReport("r1", "Title", LocalDate.of(2026, 11, 27), null, null, null, null, null,
        null, List.of("Body"), null, List.of(), "en");
    Instant updated = Instant.parse("2026-11-27T05:36:51.519Z");
    String html = new String(pages.report(new Entry(new EntryKey(0, 0, 0), report, updated)), StandardCharsets.UTF_8);
    assertThat(html).contains("Last updated <time datetime=\"2026-11-27T05:36:51.519Z\">27 November 2026, 05:36 UTC"
        + "</time>.");
  }

  @Test
  void retractedPageShowsTitleDateAndEscapedReasonAndKeepsAutodiscovery() {
    String html = new String(pages.retracted("r1", "Old <title>", Instant.parse("2026-11-27T05:36:51Z"),
        "duplicate of <r2>"), StandardCharsets.UTF_8);
    assertThat(html).contains("“Old &lt;title&gt;”").contains("<code>r1</code>")
        .contains("<time datetime=\"2026-11-27T05:36:51Z\">27 November 2026, 05:36 UTC</time>")
        .contains("Reason given: <q class=\"reason\">duplicate of &lt;r2&gt;</q>")
        .contains("rel=\"alternate\" type=\"application/rss+xml\"");
    assertThat(new String(pages.retracted("r1", null, Instant.EPOCH, null), StandardCharsets.UTF_8))
        .doesNotContain("Reason given");
  }

  @Test
  void notFoundPageKeepsAutodiscovery() {
    assertThat(new String(pages.notFound(), StandardCharsets.UTF_8)).contains("Not found")
        .contains("rel=\"alternate\" type=\"application/atom+xml\"");
  }
}
