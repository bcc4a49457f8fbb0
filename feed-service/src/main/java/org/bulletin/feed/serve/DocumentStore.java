package org.bulletin.feed.serve;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bulletin.feed.FeedSettings;
import org.bulletin.feed.metrics.FeedMetrics;
import org.bulletin.feed.render.AtomRenderer;
import org.bulletin.feed.render.FeedPage;
import org.bulletin.feed.render.JsonFeedRenderer;
import org.bulletin.feed.render.Links;
import org.bulletin.feed.render.OpmlRenderer;
import org.bulletin.feed.render.PageRenderer;
import org.bulletin.feed.render.RssRenderer;
import org.bulletin.feed.view.Applied;
import org.bulletin.feed.view.Change;
import org.bulletin.feed.view.Entry;
import org.bulletin.feed.view.FeedKey;
import org.bulletin.feed.view.FeedLog;
import org.bulletin.feed.view.ReportView;

/**
 * Owns the view and keeps the document cache in step with it: after each applied batch it renders
 * the current documents of the feeds the batch touched (once per change), and it renders archive
 * pages and report pages once on their first request. Every method runs on the view thread.
 */
public final class DocumentStore {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DocumentStore.class);
  public static final String RSS = "application/rss+xml; charset=utf-8";
  public static final String ATOM = "application/atom+xml; charset=utf-8";
  public static final String JSON_FEED = "application/feed+json; charset=utf-8";
  public static final String HTML = "text/html; charset=utf-8";
  public static final String OPML = "text/x-opml; charset=utf-8";
  public static final String OPML_PATH = "/feeds.opml";
  /** Cache key prefix of the problem+json variant of an HTML error page. */
  public static final String PROBLEM = "problem:";
  private static final Pattern ARCHIVE = Pattern.compile("^(/feeds/(?:reports|districts/[a-z0-9-]+|tags/[a-z0-9-]+))/archive/([1-9][0-9]{0,8})\\.(rss|atom|json)$");
  private static final Pattern REPORT = Pattern.compile("^/reports/([a-z0-9](?:[a-z0-9-]{0,126}[a-z0-9])?)$");

  private final ReportView view = new ReportView();
  private final DocumentCache cache;
  private final FeedSettings settings;
  private final FeedMetrics metrics;
  private final RssRenderer rss;
  private final AtomRenderer atom;
  private final JsonFeedRenderer json;
  private final PageRenderer pages;
  private final OpmlRenderer opml;
  private int opmlFeeds = -1;
  private final byte[] notFoundPage;
  private boolean rendered;

  /** The 404 page for browsers, rendered once. */
  public byte[] notFoundPage() {
    return notFoundPage;
  }

  public DocumentStore(FeedSettings settings, DocumentCache cache, FeedMetrics metrics) {
    this.settings = settings;
    this.cache = cache;
    this.metrics = metrics;
    Links links = new Links(settings.baseUrl(), settings.tagAuthority());
    this.rss = new RssRenderer(links, Math.max(1, settings.maxAgeSeconds() / 60));
    this.atom = new AtomRenderer(links);
    this.json = new JsonFeedRenderer(links);
    this.pages = new PageRenderer(links, settings.title());
    this.notFoundPage = pages.notFound();
    this.opml = new OpmlRenderer(links, settings.title());
  }

  /**
   * Applies a batch. While the view is still catching up nothing is rendered; the first call with
   * {@code caughtUp} renders every current document once, later calls only what changed.
   */
  public Applied apply(List<Change> changes, boolean caughtUp) {
    Applied applied = view.apply(changes);
    metrics.duplicates(applied.duplicateCount());
    try {
      if (!rendered) {
        if (caughtUp) {
          metrics.renderTimer().record(this::renderAll);
          rendered = true;
        }
      } else if (!applied.isEmpty()) {
        metrics.renderTimer().record(() -> renderChanges(applied));
      }
    } catch (RuntimeException e) {
      // The view is applied; a document that cannot render must not stop consumption. The cache
      // keeps the previous bytes, and the next change to the feed renders it again.
      LOG.error("Rendering after a batch failed; serving the previous documents", e);
      rendered = rendered || caughtUp;
    }
    return applied;
  }

  private void renderAll() {
    Map<String, CachedDocument> batch = new HashMap<>();
    for (FeedLog log : view.feeds()) {
      renderCurrent(log, batch);
    }
    renderIndex(batch);
    cache.pinAll(batch);
  }

  private void renderChanges(Applied applied) {
    Map<String, CachedDocument> batch = new HashMap<>();
    for (FeedKey key : applied.feeds()) {
      view.feed(key.basePath()).ifPresent(log -> renderCurrent(log, batch));
    }
    renderIndex(batch);
    for (String id : applied.reports()) {
      cache.removePage("/reports/" + id);
      cache.removePage(PROBLEM + "/reports/" + id);
    }
    if (applied.archivesChanged()) {
      cache.clearArchives();
    }
    cache.pinAll(batch);
  }

  private void renderCurrent(FeedLog log, Map<String, CachedDocument> batch) {
    int size = settings.itemsPerDocument();
    List<Entry> entries = view.current(log, size);
    FeedPage page = new FeedPage(log.key(), title(log.key(), 0), 0, log.fullPages(size), entries, log.lastChange());
    batch.put(page.path("rss"), CachedDocument.of(200, RSS, rss.render(page), page.updated()));
    batch.put(page.path("atom"), CachedDocument.of(200, ATOM, atom.render(page), page.updated()));
    batch.put(page.path("json"), CachedDocument.of(200, JSON_FEED, json.render(page), page.updated()));
  }

  private void renderIndex(Map<String, CachedDocument> batch) {
    FeedLog all = view.all();
    List<FeedLog> feeds = new ArrayList<>(view.feeds());
    batch.put("/", CachedDocument.of(200, HTML, pages.index(view.current(all, 20), feeds), all.lastChange()));
    // The list of feeds changes only when a district or tag appears: rendered then, not per batch.
    if (feeds.size() != opmlFeeds) {
      Instant newest = feeds.stream().map(FeedLog::lastChange).max(Instant::compareTo).orElse(Instant.EPOCH);
      batch.put(OPML_PATH, CachedDocument.of(200, OPML, opml.render(feeds, newest), newest));
      opmlFeeds = feeds.size();
    }
  }

  /**
   * Renders an archive page or report page not in the cache, and caches it.
   *
   * @return empty when there is no such document
   */
  public Optional<CachedDocument> renderOnDemand(String path) {
    Optional<CachedDocument> cached = cache.get(path);
    if (cached.isPresent()) {
      return cached; // rendered by an earlier request while this one waited
    }
    Matcher archive = ARCHIVE.matcher(path);
    if (archive.matches()) {
      return renderArchive(path, archive.group(1), Integer.parseInt(archive.group(2)), archive.group(3));
    }
    Matcher report = REPORT.matcher(path);
    if (report.matches()) {
      return renderReport(path, report.group(1));
    }
    return Optional.empty();
  }

  private Optional<CachedDocument> renderArchive(String path, String basePath, int number, String extension) {
    Optional<FeedLog> log = view.feed(basePath);
    int size = settings.itemsPerDocument();
    if (log.isEmpty() || number > log.get().fullPages(size)) {
      return Optional.empty();
    }
    List<Entry> entries = view.archivePage(log.get(), number, size);
    FeedKey key = log.get().key();
    // The page changes only with its own entries, so its Last-Modified is theirs.
    Instant updated = log.get().entries().subList((number - 1) * size, number * size).stream()
        .map(Entry::updated).max(Instant::compareTo).orElse(Instant.EPOCH);
    FeedPage page = new FeedPage(key, title(key, number), number, number - 1, entries, updated);
    CachedDocument doc = switch (extension) {
      case "rss" -> CachedDocument.of(200, RSS, rss.render(page), updated);
      case "atom" -> CachedDocument.of(200, ATOM, atom.render(page), updated);
      default -> CachedDocument.of(200, JSON_FEED, json.render(page), updated);
    };
    cache.putPage(path, doc);
    return Optional.of(doc);
  }

  private Optional<CachedDocument> renderReport(String path, String id) {
    Optional<Entry> entry = view.report(id);
    CachedDocument doc;
    if (entry.isPresent()) {
      doc = CachedDocument.of(200, HTML, pages.report(entry.get()), entry.get().updated());
    } else if (view.isRetracted(id)) {
      Instant when = view.retractedAt(id);
      String reason = view.retractionReason(id).orElse(null);
      String title = view.lastKnown(id).map(org.bulletin.schema.MeetingReport::title).orElse(null);
      doc = CachedDocument.of(410, HTML, pages.retracted(id, title, when, reason), when);
      // API clients get the same facts as problem+json (DocumentLookup picks by Accept).
      cache.putPage(PROBLEM + path, CachedDocument.of(410, org.bulletin.platform.http.Problem.MEDIA_TYPE,
          NotFound.retractedProblem(path, id, when, reason), when));
    } else {
      return Optional.empty();
    }
    cache.putPage(path, doc);
    return Optional.of(doc);
  }

  private String title(FeedKey key, int page) {
    String title = switch (key.kind()) {
      case ALL -> settings.title();
      case DISTRICT -> key.label() + ": meeting reports (Bulletin)";
      case TAG -> "Meeting reports on " + key.label() + " (Bulletin)";
    };
    return page == 0 ? title : title + ", archive page " + page;
  }

  /** The report's current or last version before retraction; for matching webhook filters. */
  public Optional<org.bulletin.schema.MeetingReport> lastKnown(String id) {
    return view.lastKnown(id);
  }

  /** For metrics and health: how many reports the view holds. */
  public int reportCount() {
    return view.reportCount();
  }
}
