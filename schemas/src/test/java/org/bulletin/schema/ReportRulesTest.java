package org.bulletin.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportRulesTest {
  private static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");

  private static ObjectNode valid() {
    return EventJson.mapper().valueToTree(Reports.full());
  }

  private static List<String> messages(List<ReportRules.Finding> findings) {
    return findings.stream().map(f -> f.violation().pointer() + " | " + f.violation().message()).toList();
  }

  @Test
  void validReportBreaksNoRule() {
    assertThat(ReportRules.check(valid(), NOW)).isEmpty();
  }

  @Test
  void namesThePointerAndCodePointOfEveryCharacterXmlForbids() {
    ObjectNode doc = valid();
    doc.put("title", "Budget\u000Bmeeting");
    doc.withArray("body").set(1, doc.textNode("ok \uFFFE"));
    ((ObjectNode) doc.withArray("attendees").get(0)).put("name", "Lone \uD800 surrogate");
    doc.withObject("presider").put("role", "tab\tnewline\ncarriage\r are fine");

    List<ReportRules.Finding> findings = ReportRules.check(doc, NOW);

    assertThat(findings).extracting(ReportRules.Finding::kind).containsOnly(ReportRules.Kind.ILLEGAL_CHARACTER);
    assertThat(messages(findings)).containsExactlyInAnyOrder(
        "/title | /title contains U+000B, which XML 1.0 does not allow (character 7)",
        "/body/1 | /body/1 contains U+FFFE, which XML 1.0 does not allow (character 4)",
        "/attendees/0/name | /attendees/0/name contains U+D800, which XML 1.0 does not allow (character 6)");
  }

  @Test
  void acceptsAnyTextAPersonCanPaste() {
    ObjectNode doc = valid();
    doc.put("title", "惠济区召开经济运行分析会 — “quotes”, emoji 🏛️, RTL مرحبا, combining é, NBSP\u00A0, ZWJ\u200D");
    assertThat(ReportRules.check(doc, NOW)).isEmpty();
  }

  @Test
  void refusesEveryUrlThatIsNotHttpOrHttps() {
    for (String url : new String[] {"javascript:alert(document.cookie)", "JavaScript:alert(1)", "data:text/html,x",
        "vbscript:x", "file:///etc/passwd", "//evil.example/x", "/relative", "http://", "mailto:a@b.c"}) {
      ObjectNode doc = valid();
      doc.put("sourceUrl", url);
      assertThat(ReportRules.check(doc, NOW)).as(url).singleElement().satisfies(f -> {
        assertThat(f.kind()).isEqualTo(ReportRules.Kind.UNSUPPORTED_URL);
        assertThat(f.violation().pointer()).isEqualTo("/sourceUrl");
      });
    }
    ObjectNode js = valid();
    js.put("sourceUrl", "javascript:alert(document.cookie)");
    assertThat(ReportRules.check(js, NOW).get(0).violation().message()).contains("'javascript'");
    for (String url : new String[] {"https://www.huiji.gov.cn/a?b=c#d", "HTTP://EXAMPLE.ORG/", "http://[::1]:8080/"}) {
      assertThat(ReportRules.isWebUrl(url)).as(url).isTrue();
    }
  }

  @Test
  void datesRangeFrom1900ToADayAheadOfTheReference() {
    ObjectNode doc = valid();
    doc.put("publishedDate", "9999-12-31");
    doc.put("meetingDate", "1899-12-31");
    assertThat(ReportRules.check(doc, NOW)).extracting(f -> f.violation().pointer())
        .containsExactlyInAnyOrder("/publishedDate", "/meetingDate");
    doc.put("publishedDate", "2024-05-02");
    doc.put("meetingDate", "1900-01-01");
    assertThat(ReportRules.check(doc, NOW)).isEmpty();
    doc.put("publishedDate", "2024-05-03");
    assertThat(ReportRules.check(doc, NOW)).singleElement()
        .satisfies(f -> assertThat(f.kind()).isEqualTo(ReportRules.Kind.DATE_OUT_OF_RANGE));
  }

  @Test
  void extremeTimesAreOutOfRangeNotErrors() {
    assertThat(ReportRules.timeInRange(Instant.MAX, Instant.MAX)).isFalse();
    assertThat(ReportRules.timeInRange(Instant.MIN, NOW)).isFalse();
    assertThat(ReportRules.dateInRange(java.time.LocalDate.MAX, Instant.MAX)).isFalse();
    assertThat(ReportRules.timeInRange(NOW.plusSeconds(3600), NOW)).isTrue();
  }
}
