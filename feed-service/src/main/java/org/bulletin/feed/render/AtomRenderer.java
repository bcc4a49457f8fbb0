package org.bulletin.feed.render;

import com.rometools.rome.feed.atom.Category;
import com.rometools.rome.feed.atom.Content;
import com.rometools.rome.feed.atom.Entry;
import com.rometools.rome.feed.atom.Feed;
import com.rometools.rome.feed.atom.Link;
import com.rometools.rome.feed.atom.Person;
import com.rometools.rome.feed.synd.SyndPerson;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.WireFeedOutput;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bulletin.schema.MeetingReport;
import org.jdom2.Element;
import org.jdom2.Namespace;

/** Atom 1.0 with Rome, RFC 5005 archive links included. */
public final class AtomRenderer {
  static final Namespace HISTORY = Namespace.getNamespace("fh", "http://purl.org/syndication/history/1.0");
  static final Namespace TOMBSTONES = Namespace.getNamespace("at", "http://purl.org/atompub/tombstones/1.0");
  private final Links links;

  public AtomRenderer(Links links) {
    this.links = links;
  }

  public byte[] render(FeedPage page) {
    Feed feed = new Feed("atom_1.0");
    feed.setEncoding("UTF-8");
    feed.setId(links.feedId(page.feed(), page.page()));
    feed.setTitle(Sanitized.text(page.title()));
    feed.setUpdated(Date.from(page.updated()));
    feed.setAuthors(List.of(person("Bulletin")));
    feed.setAlternateLinks(List.of(link("alternate", links.home(), "text/html")));
    List<Link> other = new ArrayList<>();
    other.add(link("self", links.feed(page.feed(), page.page(), "atom"), "application/atom+xml"));
    if (!page.isArchive() && links.hub() != null) {
      other.add(link("hub", links.hub(), null)); // WebSub discovery; archive pages never change
    }
    if (page.isArchive()) {
      other.add(link("current", links.feed(page.feed(), 0, "atom"), "application/atom+xml"));
    }
    if (page.prevArchive() > 0) {
      other.add(link("prev-archive", links.feed(page.feed(), page.prevArchive(), "atom"), "application/atom+xml"));
    }
    if (page.nextArchive() > 0) {
      other.add(link("next-archive", links.feed(page.feed(), page.nextArchive(), "atom"), "application/atom+xml"));
    }
    feed.setOtherLinks(other);
    List<Element> markup = new ArrayList<>();
    if (page.isArchive()) {
      markup.add(new Element("archive", HISTORY));
    }
    for (FeedPage.Tombstone t : page.tombstones()) {
      // RFC 6721: ref is the entry's atom:id, when the time it was deleted.
      markup.add(new Element("deleted-entry", TOMBSTONES).setAttribute("ref", links.entryId(t.reportId()))
          .setAttribute("when", t.when().toString()));
    }
    if (!markup.isEmpty()) {
      feed.setForeignMarkup(markup);
    }
    List<Entry> entries = new ArrayList<>();
    page.entries().forEach(e -> entries.add(entry(e)));
    feed.setEntries(entries);
    try {
      return new WireFeedOutput().outputString(feed, true).getBytes(StandardCharsets.UTF_8);
    } catch (FeedException e) {
      throw new IllegalStateException("Atom rendering failed for " + page.path("atom"), e);
    }
  }

  private Entry entry(org.bulletin.feed.view.Entry e) {
    MeetingReport r = Sanitized.report(e.report());
    Entry entry = new Entry();
    entry.setId(links.entryId(r.id()));
    Content title = new Content();
    title.setType(Content.TEXT);
    title.setValue(r.title());
    entry.setTitleEx(title);
    entry.setUpdated(Date.from(e.updated()));
    entry.setPublished(ReportText.startOfDay(r.publishedDate()));
    entry.setAuthors(List.of(person(ReportText.author(r))));
    entry.setAlternateLinks(List.of(link("alternate", links.report(r.id()), "text/html")));
    String source = Sanitized.webUrl(r.sourceUrl());
    if (source != null) {
      entry.setOtherLinks(List.of(link("via", source, null))); // only http(s): readers render it as a link
    }
    if (r.summary() != null) {
      Content summary = new Content();
      summary.setType(Content.TEXT);
      summary.setValue(r.summary());
      entry.setSummary(summary);
    }
    Content content = new Content();
    content.setType(Content.HTML);
    content.setValue(ReportText.contentHtml(r));
    entry.setContents(List.of(content));
    List<Category> categories = new ArrayList<>();
    if (r.district() != null) {
      categories.add(category(r.district(), links.baseUrl() + "/feeds/districts/"));
    }
    r.tags().forEach(t -> categories.add(category(t, links.baseUrl() + "/feeds/tags/")));
    entry.setCategories(categories);
    return entry;
  }

  private static Category category(String term, String scheme) {
    Category c = new Category();
    c.setTerm(term);
    c.setScheme(scheme);
    return c;
  }

  private static SyndPerson person(String name) {
    Person p = new Person();
    p.setName(name);
    return p;
  }

  private static Link link(String rel, String href, String type) {
    Link link = new Link();
    link.setRel(rel);
    link.setHref(href);
    link.setType(type);
    return link;
  }
}
