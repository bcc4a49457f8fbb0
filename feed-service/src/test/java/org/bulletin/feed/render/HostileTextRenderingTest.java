package org.bulletin.feed.render;

import static org.assertj.core.api.Assertions.assertThat;

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
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.bulletin.feed.view.Entry;
import org.bulletin.feed.view.EntryKey;
import org.bulletin.feed.view.FeedKey;
import org.bulletin.schema.MeetingReport;
import org.bulletin.schema.Official;
import org.bulletin.schema.XmlText;
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

  @Provide
  Arbitrary<String> text() {
    Arbitrary<String> anyUtf16 = Arbitraries.strings().withCharRange('\u0000', '\uFFFF').ofMaxLength(24);
    Arbitrary<String> nasty = Arbitraries.strings()
        .withChars('\u0000', '\u0001', '\u0008', '\u000B', '\u000C', '\u001F', '\u007F', '\u0085', '\uFFFE', '\uFFFF',
            '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '<', '>', '&', '"', '\'', ']', '\t', '\n', '\r', 'a', '区')
        .ofMaxLength(16);
    Arbitrary<String> pasted = Arbitraries.of("Budget\u000Bmeeting", "惠济区\uFFFE召开", "]]><script>alert(1)</script>",
        "&amp;&#0;&#x1;", "\uD83C\uDFDB\uFE0F civic", "\uDC00\uD800 reversed pair", "javascript:alert(document.cookie)");
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, anyUtf16), net.jqwik.api.Tuple.of(4, nasty), net.jqwik.api.Tuple.of(2, pasted));
  }

  @Provide
  Arbitrary<String> name() {
    return text().filter(s -> !s.isBlank());
  }

  @Provide
  Arbitrary<Official> official() {
    return Combinators.combine(name(), text().injectNull(0.3)).as(Official::new);
  }

  @Provide
  Arbitrary<String> url() {
    return Arbitraries.oneOf(text(), Arbitraries.of("javascript:alert(document.cookie)", "JaVaScRiPt:alert(1)",
        "\u0001javascript:alert(1)", " javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox", "https://example.org/a?b=\"c\"&d=<e>", "http://example.org/\u000B"));
  }

  @Provide
  Arbitrary<MeetingReport> report() {
    Arbitrary<LocalDate> dates = Arbitraries.integers().between(0, 200 * 366)
        .map(days -> LocalDate.of(1900, 1, 1).plusDays(days));
    return Combinators.combine(
        Combinators.combine(text(), name(), dates, dates.injectNull(0.3), text().injectNull(0.3),
            official().injectNull(0.3), official().list().ofMaxSize(4), text().injectNull(0.3)).as(Head::new),
        url().injectNull(0.2), name().list().ofMinSize(1).ofMaxSize(4), text().injectNull(0.3),
        text().list().ofMaxSize(3), text().injectNull(0.2))
        .as((h, url, body, summary, tags, language) -> new MeetingReport(h.id, h.title, h.published, h.meeting,
            h.district, h.presider, h.attendees, h.source, url, body, summary, tags, language));
  }

  private record Head(String id, String title, LocalDate published, LocalDate meeting, String district,
      Official presider, List<Official> attendees, String source) {}

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
  private static void parseXml(byte[] xml) throws Exception {
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
    builder.parse(new ByteArrayInputStream(xml));
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

  @Property(tries = 300)
  void rssAndAtomParseAsXml(@ForAll("report") MeetingReport a, @ForAll("report") MeetingReport b,
      @ForAll("name") String feedLabel) throws Exception {
    FeedPage page = page(List.of(a, b), feedLabel);
    parseXml(rss.render(page));
    byte[] atomXml = atom.render(page);
    parseXml(atomXml);
    Matcher href = HREF.matcher(strictUtf8(atomXml));
    while (href.find()) {
      assertThat(href.group(1)).as("every Atom link is http(s)").matches("(?is)https?://.*");
    }
  }

  @Property(tries = 300)
  void jsonFeedParsesAsStrictJsonWithoutForbiddenCharacters(@ForAll("report") MeetingReport a,
      @ForAll("report") MeetingReport b, @ForAll("name") String feedLabel) throws Exception {
    byte[] bytes = json.render(page(List.of(a, b), feedLabel));
    JsonNode feed = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()
        .readTree(strictUtf8(bytes));
    assertThat(feed.path("items").size()).isEqualTo(2);
    for (JsonNode item : feed.path("items")) {
      assertThat(item.path("external_url").asText("http://absent")).matches("(?is)https?://.*");
    }
    assertNoForbiddenText(feed);
  }

  @Property(tries = 300)
  void htmlPageIsCleanUtf8AndLinksOnlyToHttp(@ForAll("report") MeetingReport report) throws Exception {
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
