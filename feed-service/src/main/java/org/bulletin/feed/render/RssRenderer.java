package org.bulletin.feed.render;

import com.rometools.rome.feed.module.DCModule;
import com.rometools.rome.feed.module.DCModuleImpl;
import com.rometools.rome.feed.module.Module;
import com.rometools.rome.feed.rss.Category;
import com.rometools.rome.feed.rss.Channel;
import com.rometools.rome.feed.rss.Description;
import com.rometools.rome.feed.rss.Guid;
import com.rometools.rome.feed.rss.Item;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.WireFeedOutput;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bulletin.schema.MeetingReport;
import org.jdom2.Element;
import org.jdom2.Namespace;

/**
 * RSS 2.0 with Rome: guid isPermaLink="false", atom:link rel="self" (and rel="hub" on current
 * documents, WebSub discovery), dc:creator, RFC 5005 links.
 */
public final class RssRenderer {
  private static final Namespace ATOM = Namespace.getNamespace("atom", "http://www.w3.org/2005/Atom");
  private final Links links;
  private final int ttlMinutes;

  public RssRenderer(Links links, int ttlMinutes) {
    this.links = links;
    this.ttlMinutes = ttlMinutes;
  }

  public byte[] render(FeedPage page) {
    Channel channel = new Channel("rss_2.0");
    channel.setEncoding("UTF-8");
    String title = Sanitized.text(page.title());
    channel.setTitle(title);
    channel.setLink(links.home());
    channel.setDescription(title + ": reports of local-government meetings, newest first.");
    channel.setLanguage("en");
    channel.setLastBuildDate(Date.from(page.updated()));
    channel.setPubDate(Date.from(page.updated()));
    channel.setDocs("https://www.rssboard.org/rss-specification");
    if (ttlMinutes > 0) {
      channel.setTtl(ttlMinutes);
    }
    List<Element> markup = new ArrayList<>();
    markup.add(atomLink("self", links.feed(page.feed(), page.page(), "rss")));
    if (!page.isArchive() && links.hub() != null) {
      markup.add(new Element("link", ATOM).setAttribute("rel", "hub").setAttribute("href", links.hub()));
    }
    if (page.isArchive()) {
      markup.add(atomLink("current", links.feed(page.feed(), 0, "rss")));
    }
    if (page.prevArchive() > 0) {
      markup.add(atomLink("prev-archive", links.feed(page.feed(), page.prevArchive(), "rss")));
    }
    if (page.nextArchive() > 0) {
      markup.add(atomLink("next-archive", links.feed(page.feed(), page.nextArchive(), "rss")));
    }
    if (page.isArchive()) {
      markup.add(new Element("archive", AtomRenderer.HISTORY));
    }
    channel.setForeignMarkup(markup);
    List<Item> items = new ArrayList<>();
    page.entries().forEach(e -> items.add(item(e)));
    channel.setItems(items);
    try {
      return new WireFeedOutput().outputString(channel, true).getBytes(StandardCharsets.UTF_8);
    } catch (FeedException e) {
      throw new IllegalStateException("RSS rendering failed for " + page.path("rss"), e);
    }
  }

  private Item item(org.bulletin.feed.view.Entry e) {
    MeetingReport r = Sanitized.report(e.report());
    Item item = new Item();
    item.setTitle(r.title());
    item.setLink(links.report(r.id()));
    Guid guid = new Guid();
    guid.setPermaLink(false);
    guid.setValue(links.entryId(r.id()));
    item.setGuid(guid);
    item.setPubDate(ReportText.startOfDay(r.publishedDate()));
    Description description = new Description();
    description.setType("text/html");
    description.setValue(ReportText.contentHtml(r));
    item.setDescription(description);
    List<Category> categories = new ArrayList<>();
    if (r.district() != null) {
      categories.add(category(r.district(), links.baseUrl() + "/feeds/districts/"));
    }
    r.tags().forEach(t -> categories.add(category(t, links.baseUrl() + "/feeds/tags/")));
    item.setCategories(categories);
    DCModule dc = new DCModuleImpl();
    dc.setCreator(ReportText.author(r));
    List<Module> modules = new ArrayList<>();
    modules.add(dc);
    item.setModules(modules);
    return item;
  }

  private static Category category(String value, String domain) {
    Category c = new Category();
    c.setValue(value);
    c.setDomain(domain);
    return c;
  }

  private static Element atomLink(String rel, String href) {
    return new Element("link", ATOM)
        .setAttribute("rel", rel)
        .setAttribute("href", href)
        .setAttribute("type", "application/rss+xml");
  }
}
