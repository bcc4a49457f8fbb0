package org.bulletin.feed.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bulletin.testkit.HostileText.forInput;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.bulletin.feed.view.Entry;
import org.bulletin.feed.view.EntryKey;
import org.bulletin.feed.view.FeedKey;
import org.bulletin.schema.MeetingReport;
import org.bulletin.schema.Official;
import org.bulletin.schema.XmlText;
import org.bulletin.testkit.HostileText;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Any text a producer could send, pasted or hostile (controls, U+FFFE/U+FFFF, lone surrogates,
 * markup, "]]>"), in every field of a report: RSS and Atom still parse as XML, JSON Feed as JSON,
 * and the HTML page is clean UTF-8 whose only links are Bulletin's own or http(s).
 */
class HostileTextRenderingTest {
  private static final Links LINKS = new Links("http://feeds.test", "bulletin.dev,2024");
  private static final Pattern HREF = Pattern.compile("href=\"([^\"]*)\"");
  private final RssRenderer rss = new RssRenderer(LINKS, 5);
  private final AtomRenderer atom = new AtomRenderer(LINKS);
  private final JsonFeedRenderer json = new JsonFeedRenderer(LINKS);
  private final PageRenderer pages = new PageRenderer(LINKS, "Bulletin");

  private static final int CASES = 300;
  private static final List<String> HOSTILE_URLS = List.of("javascript:alert(document.cookie)",
      "JaVaScRiPt:alert(1)", "\u0001javascript:alert(1)", " javascript:alert(1)",
      "data:text/html,<script>alert(1)</script>", "vbscript:msgbox", "https://example.org/a?b=\"c\"&d=<e>",
      "http://example.org/\u000B");

  static Stream<Arguments> twoReportsAndFeedLabel() {
    HostileText gen = HostileText.seeded(0xFEED_0001L);
    return Stream.generate(() -> Arguments.of(report(gen), report(gen), gen.nonBlank())).limit(CASES);
  }

  static Stream<Arguments> twoReportsAndFeedLabelForJson() {
    HostileText gen = HostileText.seeded(0xFEED_0002L);
    return Stream.generate(() -> Arguments.of(report(gen), report(gen), gen.nonBlank())).limit(CASES);
  }

  static Stream<MeetingReport> oneReport() {
    HostileText gen = HostileText.seeded(0xFEED_0003L);
    return Stream.generate(() -> report(gen)).limit(CASES);
  }

  private static Official official(HostileText gen) {
    return new Official(gen.nonBlank(), gen.orNull(0.3, gen::any));
  }

  private static String url(HostileText gen) {
    return gen.between(0, 1) == 0 ? gen.any() : gen.oneOf(HOSTILE_URLS);
  }

  private static LocalDate date(HostileText gen) {
    return LocalDate.of(1900, 1, 1).plusDays(gen.between(0, 200 * 366));
  }

  private static MeetingReport report(HostileText gen) {
    return new MeetingReport(gen.any(), gen.nonBlank(), date(gen), gen.orNull(0.3, () -> date(gen)),
        gen.orNull(0.3, gen::any), gen.orNull(0.3, () -> official(gen)), gen.list(0, 4, () -> official(gen)),
        gen.orNull(0.3, gen::any), gen.orNull(0.2, () -> url(gen)), gen.list(1, 4, gen::nonBlank),
        gen.orNull(0.3, gen::any), gen.list(0, 3, gen::any), gen.orNull(0.2, gen::any));
  }

  private static List<Entry> entries(List<MeetingReport> reports) {
    List<Entry> out = new java.util.ArrayList<>();
    for (int i = 0; i < reports.size(); i++) {
      out.add(new Entry(new EntryKey(i, 0, i), reports.get(i), Instant.parse("2024-05-01T10:00:00Z").plusSeconds(i)));
    }
    return out;
  }

  private static FeedPage page(List<MeetingReport> reports, String feedLabel) {
    return new FeedPage(FeedKey.district(feedLabel), feedLabel + ": meeting reports", 0, 0, entries(reports),
        Instant.parse("2024-05-01T10:00:00Z"));
  }

  /** A parser that refuses DOCTYPEs and external entities, as a careful feed reader's does. */
  private static org.w3c.dom.Document parseXml(byte[] xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    factory.setNamespaceAware(true);
    factory.setExpandEntityReferences(false);
    DocumentBuilder builder = factory.newDocumentBuilder();
    builder.setErrorHandler(new DefaultHandler() {
      @Override
      public void fatalError(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXException {
        throw e;
      }
    });
    return builder.parse(new ByteArrayInputStream(xml));
  }

  private static String strictUtf8(byte[] bytes) throws Exception {
    return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
  }

  private static void assertNoForbiddenText(JsonNode node) {
    if (node.isTextual()) {
      assertThat(XmlText.indexOfIllegal(node.asText())).as(node.asText()).isEqualTo(-1);
    }
    node.forEach(HostileTextRenderingTest::assertNoForbiddenText);
  }

  @ParameterizedTest(name = "case {index}")
  @MethodSource("twoReportsAndFeedLabel")
  void rssAndAtomParseAsXml(MeetingReport a, MeetingReport b, String feedLabel) {
    forInput(List.of(a, b, feedLabel), () -> rssAndAtomParse(a, b, feedLabel));
  }

  private void rssAndAtomParse(MeetingReport a, MeetingReport b, String feedLabel) throws Exception {
    FeedPage page = page(List.of(a, b), feedLabel);
    parseXml(rss.render(page));
    byte[] atomXml = atom.render(page);
    strictUtf8(atomXml);
    // Links are href attributes; text that merely reads href="x" (escaped markup in a title) is no link.
    org.w3c.dom.NodeList elements = parseXml(atomXml).getElementsByTagName("*");
    for (int i = 0; i < elements.getLength(); i++) {
      org.w3c.dom.Element element = (org.w3c.dom.Element) elements.item(i);
      if (element.hasAttribute("href")) {
        assertThat(element.getAttribute("href")).as("every Atom link is http(s)").matches("(?is)https?://.*");
      }
    }
  }

  @ParameterizedTest(name = "case {index}")
  @MethodSource("twoReportsAndFeedLabelForJson")
  void jsonFeedParsesAsStrictJsonWithoutForbiddenCharacters(MeetingReport a, MeetingReport b, String feedLabel) {
    forInput(List.of(a, b, feedLabel), () -> jsonFeedParses(a, b, feedLabel));
  }

  private void jsonFeedParses(MeetingReport a, MeetingReport b, String feedLabel) throws Exception {
    byte[] bytes = json.render(page(List.of(a, b), feedLabel));
    JsonNode feed = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()
        .readTree(strictUtf8(bytes));
    assertThat(feed.path("items").size()).isEqualTo(2);
    for (JsonNode item : feed.path("items")) {
      assertThat(item.path("external_url").asText("http://absent")).matches("(?is)https?://.*");
    }
    assertNoForbiddenText(feed);
  }

  @ParameterizedTest(name = "case {index}")
  @MethodSource("oneReport")
  void htmlPageIsCleanUtf8AndLinksOnlyToHttp(MeetingReport report) {
    forInput(report, () -> htmlPageIsClean(report));
  }

  private void htmlPageIsClean(MeetingReport report) throws Exception {
    String html = strictUtf8(pages.report(entries(List.of(report)).get(0)));
    assertThat(XmlText.indexOfIllegal(html)).isEqualTo(-1);
    assertThat(html).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("javascript:alert(1)\"");
    Matcher href = HREF.matcher(html);
    while (href.find()) {
      assertThat(href.group(1)).as("every link is http(s)").matches("(?is)https?://.*");
    }
    String index = strictUtf8(pages.index(entries(List.of(report)), List.of()));
    assertThat(XmlText.indexOfIllegal(index)).isEqualTo(-1);
    assertThat(index).doesNotContainIgnoringCase("<script");
  }
}
