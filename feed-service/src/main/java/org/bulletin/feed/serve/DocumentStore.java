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
  // Paths whose last render failed or left a report out; view thread only. The count is for health.
  private final java.util.Set<String> failing = new java.util.HashSet<>();
  private volatile int failingCount;

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
      // Each document is rendered on its own (see render), so this is a fault outside any one of
      // them. The view is applied and consumption goes on; the next change renders again.
      metrics.renderFailed("batch");
      LOG.error("Rendering after a batch failed; documents of this batch keep their previous bytes", e);
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
    for (String extension : EXTENSIONS) {
      feedDocument(page, extension).ifPresent(doc -> batch.put(page.path(extension), doc));
    }
  }

  private static final List<String> EXTENSIONS = List.of("rss", "atom", "json");

  /** One feed document in one format, or empty if it cannot be rendered (the cache keeps the old one). */
  private Optional<CachedDocument> feedDocument(FeedPage page, String extension) {
    String path = page.path(extension);
    return switch (extension) {
      case "rss" -> render(path, "rss", page.entries(), e -> rss.render(page.withEntries(e)))
          .map(bytes -> CachedDocument.of(200, RSS, bytes, page.updated()));
      case "atom" -> render(path, "atom", page.entries(), e -> atom.render(page.withEntries(e)))
          .map(bytes -> CachedDocument.of(200, ATOM, bytes, page.updated()));
      default -> render(path, "json", page.entries(), e -> json.render(page.withEntries(e)))
          .map(bytes -> CachedDocument.of(200, JSON_FEED, bytes, page.updated()));
    };
  }

  private void renderIndex(Map<String, CachedDocument> batch) {
    FeedLog all = view.all();
    List<FeedLog> feeds = new ArrayList<>(view.feeds());
    render("/", "html", view.current(all, 20), recent -> pages.index(recent, feeds))
        .ifPresent(bytes -> batch.put("/", CachedDocument.of(200, HTML, bytes, all.lastChange())));
    // The list of feeds changes only when a district or tag appears: rendered then, not per batch.
    if (feeds.size() != opmlFeeds) {
      Instant newest = feeds.stream().map(FeedLog::lastChange).max(Instant::compareTo).orElse(Instant.EPOCH);
      batch.put(OPML_PATH, CachedDocument.of(200, OPML, opml.render(feeds, newest), newest));
      opmlFeeds = feeds.size();
    }
  }

  /**
   * Renders one document so that nothing in it can stop the others: if it fails, each report is
   * tried alone and those that fail are left out (counted and logged with their id); if it still
   * fails, it is counted and the caller keeps the previous bytes.
   *
   * @return the document's bytes, or empty when it cannot be rendered at all
   */
  private Optional<byte[]> render(String path, String format, List<Entry> entries,
      java.util.function.Function<List<Entry>, byte[]> renderer) {
    try {
      byte[] bytes = renderer.apply(entries);
      markRendered(path, false);
      return Optional.of(bytes);
    } catch (RuntimeException failure) {
      List<Entry> renderable = new ArrayList<>(entries.size());
      for (Entry entry : entries) {
        try {
          renderer.apply(List.of(entry));
          renderable.add(entry);
        } catch (RuntimeException alone) {
          metrics.renderFailed("entry");
          LOG.error("Report {} cannot be rendered in {}; it is left out of the document", entry.reportId(), path, alone);
        }
      }
      if (renderable.size() < entries.size()) {
        try {
          byte[] bytes = renderer.apply(renderable);
          markRendered(path, true);
          return Optional.of(bytes);
        } catch (RuntimeException stillFailing) {
          failure.addSuppressed(stillFailing);
        }
      }
      metrics.renderFailed(format);
      markRendered(path, true);
      LOG.error("{} cannot be rendered; it keeps its previous version", path, failure);
      return Optional.empty();
    }
  }

  private void markRendered(String path, boolean failed) {
    boolean changed = failed ? failing.add(path) : failing.remove(path);
    if (changed) {
      failingCount = failing.size();
    }
  }

  /**
   * How many documents currently serve an older version, or leave a report out, because they
   * could not be rendered. For health; any thread.
   */
  public int failingDocuments() {
    return failingCount;
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
    CachedDocument doc = feedDocument(page, extension)
        .orElseThrow(() -> new IllegalStateException(path + " cannot be rendered"));
    cache.putPage(path, doc);
    return Optional.of(doc);
  }

  private Optional<CachedDocument> renderReport(String path, String id) {
    Optional<Entry> entry = view.report(id);
    CachedDocument doc;
    if (entry.isPresent()) {
      Optional<byte[]> page = render(path, "html", List.of(entry.get()), e -> pages.report(e.get(0)));
      doc = page.isPresent() ? CachedDocument.of(200, HTML, page.get(), entry.get().updated())
          : CachedDocument.of(500, HTML, pages.unavailable(id), entry.get().updated());
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
