package org.bulletin.producer.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.bulletin.schema.MeetingReport;
import org.bulletin.schema.Violation;
import org.junit.jupiter.api.Test;

class ReportReaderTest {
  private final ReportReader reader = new ReportReader();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private ReportInputException failure(String doc, ReportReader.Format format) {
    try {
      reader.read(utf8(doc), format, null);
    } catch (ReportInputException e) {
      return e;
    }
    throw new AssertionError("accepted: " + doc);
  }

  @Test
  void jsonWithoutIdGetsTheDerivedOne() throws Exception {
    MeetingReport r = reader.read(utf8("{\"title\":\"Erqi District meets\",\"publishedDate\":\"2024-03-05\","
        + "\"body\":[\"Text.\"]}"), ReportReader.Format.JSON, null);
    assertThat(r.id()).isEqualTo("2024-03-05-erqi-district-meets");
    assertThat(r.attendees()).isEmpty();
  }

  @Test
  void aDocumentLeavingTheIdOutIsNotToldTheIdIsMissing() {
    ReportInputException e = failure("{\"title\":\"Erqi District meets\",\"publishedDate\":\"27/11/2026\","
        + "\"body\":[\"Text.\"]}", ReportReader.Format.JSON);
    assertThat(e.violations()).containsExactly(new Violation("/publishedDate", "must be a date like 2026-11-27"));
    assertThat(e.describe()).doesNotContain("/id").doesNotContain("RFC 3339").doesNotContain("pattern");
  }

  @Test
  void aDocumentWithoutIdWhoseIdCannotBeDerivedSaysHowToGiveOne() {
    ReportInputException e = failure("{\"title\":\"   \",\"publishedDate\":\"2024-03-05\",\"body\":[\"T\"]}",
        ReportReader.Format.JSON);
    assertThat(e.violations()).containsExactly(
        new Violation("/id", "is required: give one, or a title and publishedDate to derive it from"));
  }

  @Test
  void anArticleMissingItsDateAndBodyIsToldBoth() {
    ReportInputException e = failure("2024-03-05\nno date here", ReportReader.Format.TEXT);
    assertThat(e.code()).isEqualTo("not-an-article");
    assertThat(e.violations()).extracting(Violation::pointer).containsExactly("/title", "/publishedDate", "/body");
    assertThat(e.getMessage()).contains("(and 2 more, listed in errors)");
    assertThat(e.describe()).contains("(and 2 more, listed below)").doesNotContain("listed in errors")
        .contains("\n    /title: ").contains("\n    /publishedDate: ").contains("\n    /body: ");
  }

  @Test
  void anArticleWithForbiddenCharactersAndNoDateIsToldEveryProblem() {
    ReportInputException e = failure("Erqi District\u0001 meets\nsoon\nBody\u0002 text\u0003.", ReportReader.Format.TEXT);
    assertThat(e.code()).isEqualTo("illegal-character");
    assertThat(e.violations()).extracting(Violation::message).containsExactly(
        "line 1, column 14 of the article contains U+0001, which XML 1.0 does not allow",
        "line 3, column 5 of the article contains U+0002, which XML 1.0 does not allow",
        "line 3, column 11 of the article contains U+0003, which XML 1.0 does not allow",
        "the second line must be the publication date (e.g. 2022-04-27 or April 27, 2022), got: 'soon'");
  }

  @Test
  void anArticleWithForbiddenCharactersAndATooLongTitleIsToldBoth() {
    ReportInputException e = failure("T".repeat(501) + "\n2024-03-05\nBody\u0002.", ReportReader.Format.TEXT);
    assertThat(e.violations()).extracting(Violation::pointer).containsExactly("", "/title");
  }

  @Test
  void malformedJsonSaysWhere() {
    ReportInputException e = failure("{\n  \"title\": \"x\",\n  oops\n}", ReportReader.Format.JSON);
    assertThat(e.code()).isEqualTo("malformed-json");
    assertThat(e.getMessage()).contains("line 3");
  }

  @Test
  void tooDeepNestingIsExplainedWithoutNamingTheParser() {
    ReportInputException e = failure("{\"a\":" + "[".repeat(1500) + "]".repeat(1500) + "}", ReportReader.Format.JSON);
    assertThat(e.code()).isEqualTo("malformed-json");
    assertThat(e.getMessage()).contains("nested deeper than 1000 levels")
        .doesNotContain("StreamReadConstraints").doesNotContain("()");
  }

  @Test
  void tooLongNumberIsExplainedWithoutNamingTheParser() {
    ReportInputException e = failure("{\"a\":" + "1".repeat(1500) + "}", ReportReader.Format.JSON);
    assertThat(e.code()).isEqualTo("malformed-json");
    assertThat(e.getMessage()).contains("a number is longer than 1000 digits")
        .doesNotContain("StreamReadConstraints").doesNotContain("()");
  }

  @Test
  void unknownFieldsAndEveryViolationAreListed() {
    ReportInputException e = failure("{\"id\":\"a-b\",\"title\":\"\",\"publishedDate\":\"yesterday\",\"body\":[],"
        + "\"colour\":\"red\"}", ReportReader.Format.JSON);
    assertThat(e.code()).isEqualTo("schema-violation");
    assertThat(e.violations()).extracting(Violation::pointer)
        .contains("/title", "/publishedDate", "/body", "/colour");
  }

  @Test
  void emptyAndBinaryAreRefused() {
    assertThat(failure("", ReportReader.Format.TEXT).code()).isEqualTo("empty-document");
    assertThat(failure(" \n\t ", ReportReader.Format.JSON).code()).isEqualTo("empty-document");
    assertThatThrownBy(() -> reader.read(new byte[] {'P', 'K', 3, 4, 0, 0, 1}, ReportReader.Format.TEXT, null))
        .isInstanceOfSatisfying(ReportInputException.class, e -> assertThat(e.code()).isEqualTo("not-text"));
    assertThatThrownBy(() -> reader.read(new byte[] {(byte) 0xc3, (byte) 0x28}, ReportReader.Format.TEXT, null))
        .isInstanceOfSatisfying(ReportInputException.class, e -> assertThat(e.code()).isEqualTo("not-text"));
  }

  @Test
  void jsonArrayIsNotAReport() {
    assertThat(failure("[1,2]", ReportReader.Format.JSON).code()).isEqualTo("not-an-object");
  }

  @Test
  void urlIdMustAgreeWithDocumentId() throws Exception {
    String doc = "{\"id\":\"one\",\"title\":\"T\",\"publishedDate\":\"2024-01-01\",\"body\":[\"b\"]}";
    assertThatThrownBy(() -> reader.read(utf8(doc), ReportReader.Format.JSON, "two"))
        .isInstanceOfSatisfying(ReportInputException.class, e -> assertThat(e.code()).isEqualTo("id-mismatch"));
    assertThat(reader.read(utf8(doc.replace("\"id\":\"one\",", "")), ReportReader.Format.JSON, "two").id())
        .isEqualTo("two");
  }

  @Test
  void textArticleTakesTheUrlIdOnCorrection() throws Exception {
    MeetingReport r = reader.read(utf8("Title here\n2024-02-02\nBody."), ReportReader.Format.TEXT, "fixed-id");
    assertThat(r.id()).isEqualTo("fixed-id");
  }

  @Test
  void sniffsFormat() {
    assertThat(ReportReader.sniff("a.json", utf8("x"))).isEqualTo(ReportReader.Format.JSON);
    assertThat(ReportReader.sniff("a.txt", utf8("  {\"a\":1}"))).isEqualTo(ReportReader.Format.JSON);
    assertThat(ReportReader.sniff("a.txt", utf8("Title"))).isEqualTo(ReportReader.Format.TEXT);
  }

  @Test
  void derivedIdsAreSlugsAndStable() {
    assertThat(ReportIds.derive(java.time.LocalDate.of(2022, 4, 27), "Huiji district held “meeting” & more!"))
        .isEqualTo("2022-04-27-huiji-district-held-meeting-more");
    assertThat(ReportIds.derive(java.time.LocalDate.of(2022, 4, 27), "惠济区召开经济运行分析会"))
        .matches("2022-04-27-[0-9a-f]{12}");
  }

  @Test
  void datesMayBeADayAheadOfTodayButNotTwo() throws Exception {
    ReportReader at = new ReportReader(java.time.Clock.fixed(java.time.Instant.parse("2024-03-05T23:30:00Z"),
        java.time.ZoneOffset.UTC));
    String doc = "{\"title\":\"T\",\"publishedDate\":\"%s\",\"body\":[\"b\"]}";
    assertThat(at.read(utf8(doc.formatted("2024-03-06")), ReportReader.Format.JSON, null).publishedDate())
        .isEqualTo("2024-03-06");
    assertThatThrownBy(() -> at.read(utf8(doc.formatted("2024-03-07")), ReportReader.Format.JSON, null))
        .isInstanceOfSatisfying(ReportInputException.class, e -> {
          assertThat(e.code()).isEqualTo("date-out-of-range");
          assertThat(e.getMessage()).startsWith("/publishedDate is 2024-03-07");
        });
    assertThatThrownBy(() -> at.read(utf8("Old meeting\n1899-12-31\nBody."), ReportReader.Format.TEXT, null))
        .isInstanceOfSatisfying(ReportInputException.class, e -> assertThat(e.code()).isEqualTo("date-out-of-range"));
  }

  @Test
  void illegalCharacterInAFieldNameIsNamedWithoutEchoingIt() {
    ReportInputException e = failure("{\"title\":\"T\",\"publishedDate\":\"2024-01-01\",\"body\":[\"b\"],"
        + "\"ti\\u000btle\":1}", ReportReader.Format.JSON);
    assertThat(e.code()).isEqualTo("illegal-character");
    assertThat(e.violations()).allSatisfy(v -> {
      assertThat(org.bulletin.schema.XmlText.indexOfIllegal(v.pointer())).isEqualTo(-1);
      assertThat(org.bulletin.schema.XmlText.indexOfIllegal(v.message())).isEqualTo(-1);
    });
    assertThat(e.getMessage()).contains("U+000B");
  }
}
