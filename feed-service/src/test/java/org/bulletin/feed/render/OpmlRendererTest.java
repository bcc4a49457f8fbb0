package org.bulletin.feed.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.bulletin.feed.view.Change;
import org.bulletin.feed.view.EntryKey;
import org.bulletin.feed.view.ReportView;
import org.bulletin.schema.MeetingReport;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class OpmlRendererTest {
  private static final Links LINKS = new Links("https://feeds.example", "bulletin.dev,2024");

  @Test
  void listsEveryFeedOnceInEachFormatAsOpml2() throws Exception {
    ReportView view = new ReportView();
    MeetingReport report = new MeetingReport("r1", "T & <b>", LocalDate.of(2024, 1, 1), null, "Huiji \"District\"",
        null, null, null, null, List.of("Body"), null, List.of("economy"), "en");
    view.apply(List.of(new Change.Upsert(report, Instant.ofEpochSecond(10), new EntryKey(10, 0, 0))));
    byte[] opml = new OpmlRenderer(LINKS, "Bulletin & co").render(new ArrayList<>(view.feeds()),
        Instant.ofEpochSecond(10));

    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(opml));
    assertThat(doc.getDocumentElement().getAttribute("version")).isEqualTo("2.0");
    assertThat(doc.getElementsByTagName("title").item(0).getTextContent()).isEqualTo("Bulletin & co");
    assertThat(doc.getElementsByTagName("dateModified").item(0).getTextContent()).isEqualTo("Thu, 1 Jan 1970 00:00:10 GMT");
    List<String> urls = new ArrayList<>();
    NodeList outlines = doc.getElementsByTagName("outline");
    for (int i = 0; i < outlines.getLength(); i++) {
      Element o = (Element) outlines.item(i);
      if (o.hasAttribute("xmlUrl")) {
        assertThat(o.getAttribute("type")).isEqualTo("rss");
        assertThat(o.getAttribute("htmlUrl")).isEqualTo("https://feeds.example/");
        assertThat(o.getAttribute("text")).isNotBlank();
        urls.add(o.getAttribute("xmlUrl"));
      }
    }
    assertThat(urls).hasSize(9).doesNotHaveDuplicates().contains("https://feeds.example/feeds/reports.rss",
        "https://feeds.example/feeds/districts/huiji-district.atom", "https://feeds.example/feeds/tags/economy.json");
  }
}
