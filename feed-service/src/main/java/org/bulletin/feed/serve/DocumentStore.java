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
import org.bulletin.feed.content.Position;
import org.bulletin.feed.content.ReportContent;
import org.bulletin.feed.content.ReportFetcher;
import org.bulletin.feed.view.Applied;
import org.bulletin.feed.view.ArchiveId;
import org.bulletin.feed.view.ArchiveSlice;
import org.bulletin.feed.view.EntryKey;
import org.bulletin.feed.view.ReportIndex;
import org.bulletin.schema.MeetingReport;
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
  private static final Pattern ARCHIVE = Pattern.compile("^(/feeds/(?:reports|districts/[a-z0-9-]+|tags/[a-z0-9-]+))/archive/([0-9]{4}-[0-9]{2}(?:-[1-9][0-9]{0,5})?)\\.(rss|atom|json)$");
  private static final Pattern CURRENT = Pattern.compile("^(/feeds/(?:reports|districts/[a-z0-9-]+|tags/[a-z0-9-]+))\\.(rss|atom|json)$");
  private static final Pattern REPORT = Pattern.compile("^/reports/([a-z0-9](?:[a-z0-9-]{0,126}[a-z0-9])?)$");

  private final ReportView view;
  private final ReportContent content;
  private final DocumentCache cache;
  private final FeedSettings settings;
  private final FeedMetrics metrics;
  private final RssRenderer rss;
  private final AtomRenderer atom;
  private final JsonFeedRenderer json;
  private final PageRenderer pages;
  private final OpmlRenderer opml;
  private final Links links;
  private int opmlFeeds = -1;
  private Instant opmlNewest;
  private final byte[] notFoundPage;
  private boolean rendered;
  // Paths whose last render failed or left a report out; view thread only. The count is for health.
  private final java.util.Set<String> failing = new java.util.HashSet<>();
  private volatile int failingCount;

  /** Every district and tag the view has seen; any thread. */
  public org.bulletin.feed.view.Vocabulary vocabulary() {
    return view.vocabulary();
  }

  /** The 404 page for browsers, rendered once. */
  public byte[] notFoundPage() {
    return notFoundPage;
  }

  /**
   * A store that reads the content of current documents through {@code reader}, off the view
   * thread: the view thread only ever takes content from the cache or from what a read brought.
   */
  public DocumentStore(FeedSettings settings, DocumentCache cache, FeedMetrics metrics, CurrentContentReader reader) {
    this(settings, cache, metrics, OFF_THE_VIEW_THREAD);
    this.reader = reader;
  }

  /** The view thread never reads Kafka itself once a {@link CurrentContentReader} is attached. */
  private static final ReportFetcher OFF_THE_VIEW_THREAD = new ReportFetcher() {
    @Override
    public Map<Long, MeetingReport> fetch(long[] positions) {
      throw new IllegalStateException("content is read back off the view thread");
    }

    @Override
    public void close() {}
  };

  /**
   * @param fetcher reads report content back from the topic; called on the view thread, so only
   *     for tests and tools (the service uses the other constructor)
   */
  public DocumentStore(FeedSettings settings, DocumentCache cache, FeedMetrics metrics, ReportFetcher fetcher) {
    this.view = new ReportView(Math.max(1000, settings.tombstonesPerDocument() * 50),
        java.time.Duration.ofHours(settings.tombstoneMaxAgeHours()), settings.retractionReasonsBytes());
    this.content = new ReportContent(fetcher, settings.reportCacheBytes());
    this.settings = settings;
    this.cache = cache;
    this.metrics = metrics;
    Links links = new Links(settings.baseUrl(), settings.tagAuthority(),
        settings.websub().enabled() ? settings.baseUrl() + Links.HUB_PATH : null);
    this.links = links;
    this.rss = new RssRenderer(links, Math.max(1, settings.maxAgeSeconds() / 60));
    this.atom = new AtomRenderer(links);
    this.json = new JsonFeedRenderer(links);
    this.pages = new PageRenderer(links, settings.title());
    this.notFoundPage = pages.notFound();
    this.opml = new OpmlRenderer(links, settings.title());
    metrics.gauge("bulletin_feed_index_bytes", "Estimated heap of the per-report index and feed orders",
        () -> indexBytes);
    metrics.gauge("bulletin_feed_report_cache_bytes", "Estimated heap of the decoded reports kept for rendering",
        content::cachedBytes);
    metrics.gauge("bulletin_feed_reports_read_back", "Reports read back from Kafka by offset since start",
        content::fetchedCount);
    metrics.gauge("bulletin_feed_pinned_bytes", "Estimated bytes of the pinned current documents (feed.pinned.bytes)",
        cache::pinnedBytes);
    metrics.gauge("bulletin_feed_unpinned_documents",
        "Current documents that did not fit feed.pinned.bytes and are cached like pages", cache::unpinnedCount);
    metrics.gauge("bulletin_feed_documents_rendered", "Documents rendered since start (once per change; never per request)",
        () -> renders);
  }

  // Published after each batch by the view thread, for the gauge.
  private volatile long indexBytes;

  /**
   * Applies a batch. While the view is still catching up nothing is rendered; the first call with
   * {@code caughtUp} renders every current document once, later calls only what changed.
   */
  public Applied apply(List<Change> changes, boolean caughtUp) {
    if (rendered && !stale.isEmpty() && !reading) {
      renderStale(); // a read that failed earlier is tried again with this batch
    }
    Applied applied = view.apply(changes);
    indexBytes = view.estimatedBytes();
    publishFeedPaths(applied);
    for (Change change : changes) {
      // The newest versions are the likeliest to be rendered next; the cache is bounded in bytes.
      // Not while catching up: almost every version offered then is evicted again before any
      // render, and churning a cache of that size through the old generation dominated the GC
      // (the first render reads what it needs back in one pass).
      if ((rendered || caughtUp) && change instanceof Change.Upsert u) {
        content.offer(Position.of(u.key().partition(), u.key().offset()), u.report());
      }
    }
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
    for (FeedLog log : view.feeds()) {
      stale.add(log.key().basePath());
    }
    renderStale();
  }

  private void renderChanges(Applied applied) {
    for (FeedKey key : applied.feeds()) {
      stale.add(key.basePath());
    }
    renderStale();
    for (String id : applied.reports()) {
      cache.removePage("/reports/" + id);
      cache.removePage(PROBLEM + "/reports/" + id);
    }
    for (FeedKey key : applied.feeds()) {
      cache.clearArchives(key.basePath()); // a change can move reports across this feed's pages
    }
  }

  // Current documents (by feed base path) whose latest render waits for content to be read back,
  // or failed to get it; the index page goes with them. View thread only.
  private final java.util.Set<String> stale = new java.util.LinkedHashSet<>();
  private CurrentContentReader reader;
  private boolean reading;
  private volatile boolean firstRenderDone;
  private volatile java.util.Set<String> feedPaths = java.util.Set.of();

  /**
   * The base paths of every feed the view holds now (e.g. {@code /feeds/districts/x}), whether or
   * not its documents are cached: an immutable set, replaced by the view thread when a feed comes
   * or goes. Any thread.
   */
  public java.util.Set<String> feedPaths() {
    return feedPaths;
  }

  private void publishFeedPaths(Applied applied) {
    java.util.Set<String> now = feedPaths;
    for (FeedKey key : applied.feeds()) {
      if (view.feed(key.basePath()).isPresent() != now.contains(key.basePath())) {
        java.util.Set<String> paths = new java.util.HashSet<>();
        for (FeedLog log : view.feeds()) {
          paths.add(log.key().basePath());
        }
        feedPaths = java.util.Set.copyOf(paths);
        return;
      }
    }
  }

  /**
   * True once every current document was rendered after catching up (until then they may wait
   * for their content to be read back). Any thread.
   */
  public boolean firstRenderDone() {
    return firstRenderDone;
  }

  /**
   * Renders the stale current documents and the index page with content at hand; if some is not
   * (and a reader is attached), asks the reader for it instead and renders when it arrives (see
   * {@link #currentContentRead}). Until then every one keeps its previous bytes.
   */
  private void renderStale() {
    if (reading || (stale.isEmpty() && firstRenderDone)) {
      return; // the first render also renders the index page of a view without feeds
    }
    if (reader != null && pending == null) {
      long[] missing = missingForStale();
      if (missing.length > 0) {
        reading = true;
        reader.read(missing);
        return;
      }
    }
    Map<String, CachedDocument> batch = new HashMap<>();
    for (String basePath : stale) {
      view.feed(basePath).ifPresent(log -> renderCurrent(log, batch));
    }
    Map<String, CachedDocument> changed = new HashMap<>();
    for (Map.Entry<String, CachedDocument> e : batch.entrySet()) {
      Optional<CachedDocument> before = cache.get(e.getKey());
      if (before.isEmpty() || !before.get().etag().equals(e.getValue().etag())) {
        changed.put(e.getKey(), e.getValue());
      }
    }
    renderIndex(batch);
    cache.pinAll(batch);
    stale.clear();
    if (contentFailingSince != 0) {
      LOG.info("Current documents read their content again after failing since {}",
          Instant.ofEpochMilli(contentFailingSince));
      contentFailingSince = 0;
      lastContentWarning = Long.MIN_VALUE / 2;
    }
    boolean first = !firstRenderDone;
    firstRenderDone = true;
    if (!first && !changed.isEmpty()) {
      try {
        changes.accept(Map.copyOf(changed));
      } catch (RuntimeException e) {
        LOG.error("A listener of changed feed documents failed", e);
      }
    }
  }

  /** Positions the stale documents and the index page show that the content cache does not hold. */
  private long[] missingForStale() {
    long[] wanted = wantedForStale();
    Map<Long, MeetingReport> found = content.peek(wanted);
    return java.util.Arrays.stream(wanted).filter(p -> !found.containsKey(p)).distinct().toArray();
  }

  /** Positions of the reports the stale documents and the index page show. */
  private long[] wantedForStale() {
    List<Integer> ords = new ArrayList<>();
    for (String basePath : stale) {
      view.feed(basePath).ifPresent(log -> {
        for (int ord : view.current(log, settings.itemsPerDocument())) {
          ords.add(ord);
        }
      });
    }
    for (int ord : view.current(view.all(), INDEX_ITEMS)) {
      ords.add(ord);
    }
    return positions(ords.stream().mapToInt(Integer::intValue).toArray());
  }

  private static final int INDEX_ITEMS = 20;

  /**
   * What the reader brought for the stale current documents: they are rendered with it (a report
   * the topic did not return is left out and counted, as for any page). If the view moved
   * meanwhile, or the content cache dropped reports they show, what is still missing is read
   * first; what was read stays gathered for this render (not only in the cache, which may be too
   * small to hold every current document's reports at once). View thread.
   */
  public void currentContentRead(long[] asked, Map<Long, MeetingReport> read) {
    reading = false;
    gathered.putAll(read);
    gatheredAsked = concat(gatheredAsked, asked);
    long[] wanted = wantedForStale();
    Map<Long, MeetingReport> atHand = content.peek(wanted);
    atHand.putAll(gathered);
    long[] missing = java.util.Arrays.stream(wanted)
        .filter(p -> !atHand.containsKey(p) && !contains(gatheredAsked, p)).distinct().toArray();
    if (missing.length > 0) {
      reading = true;
      reader.read(missing);
      return;
    }
    pending = new Pending(gatheredAsked, atHand);
    try {
      renderStale();
    } finally {
      pending = null;
      gathered = new HashMap<>();
      gatheredAsked = new long[0];
    }
    content.readBack(read);
  }

  // What reads brought for the stale documents' render in progress; view thread only.
  private Map<Long, MeetingReport> gathered = new HashMap<>();
  private long[] gatheredAsked = new long[0];

  private static long[] concat(long[] a, long[] b) {
    long[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * The reader could not bring the content: the stale current documents keep their previous bytes
   * (count as failing for health), those never rendered answer 503 {@code content-unavailable},
   * and the next batch or {@link #retryStale} tries again. View thread.
   */
  public void currentContentFailed(Throwable error) {
    reading = false;
    gathered = new HashMap<>();
    gatheredAsked = new long[0];
    metrics.renderFailed("content");
    for (String basePath : stale) {
      for (String extension : EXTENSIONS) {
        markRendered(basePath + "." + extension, true);
      }
    }
    long now = System.currentTimeMillis();
    lastContentError = error.toString();
    if (contentFailingSince == 0) {
      contentFailingSince = now;
    }
    if (now - lastContentWarning >= CONTENT_WARNING_INTERVAL_MS) {
      lastContentWarning = now;
      LOG.warn("Content of {} current documents could not be read back from Kafka (failing since {}); they keep"
          + " their previous bytes: {}", stale.size(), Instant.ofEpochMilli(contentFailingSince), error.toString());
    }
  }

  private static final long CONTENT_WARNING_INTERVAL_MS = 60_000;
  // Epoch millis of the first of the current failed reads, 0 while reads succeed. Written on the
  // view thread, read by health on any thread.
  private volatile long contentFailingSince;
  private volatile String lastContentError = "";
  private long lastContentWarning = Long.MIN_VALUE / 2;

  /**
   * Why readiness should be DOWN: current documents have been failing to read their content back
   * for longer than {@code after}, so they are frozen; {@code null} otherwise. Any thread.
   */
  public String contentProblem(java.time.Duration after, Instant now) {
    long since = contentFailingSince;
    if (since == 0 || now.toEpochMilli() - since < after.toMillis()) {
      return null;
    }
    return "current documents could not read their reports back from Kafka for "
        + (now.toEpochMilli() - since) / 1000 + " s (" + lastContentError + "); they serve their previous bytes";
  }

  /** Tries the stale current documents again (after a failed read). View thread. */
  public void retryStale() {
    renderStale();
  }

  /** True when {@code path} is a current document (or the index page) whose render waits for content. */
  private boolean awaitingContent(String path) {
    if (stale.isEmpty()) {
      return false;
    }
    if (path.equals("/")) {
      return true;
    }
    int dot = path.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(path.substring(dot + 1)) && stale.contains(path.substring(0, dot));
  }

  private java.util.function.Consumer<Map<String, CachedDocument>> changes = docs -> { };

  /**
   * Calls {@code listener} on the view thread, after each batch, with the current feed documents
   * (by path) whose bytes changed: once per change, the bytes served. Not for the first render.
   */
  public void onDocumentsChanged(java.util.function.Consumer<Map<String, CachedDocument>> listener) {
    this.changes = listener;
  }

  private void renderCurrent(FeedLog log, Map<String, CachedDocument> batch) {
    int size = settings.itemsPerDocument();
    List<Entry> entries = entries(view.current(log, size), log.key().basePath());
    List<FeedPage.Tombstone> tombstones = new ArrayList<>();
    // Age is measured against the feed's newest event, not the clock: the same topic gives every
    // instance, whenever it renders, the same tombstones.
    for (int ord : view.recentlyRetracted(log, settings.tombstonesPerDocument(), log.lastChange())) {
      tombstones.add(new FeedPage.Tombstone(view.index().id(ord), Instant.ofEpochMilli(view.index().time(ord))));
    }
    FeedPage page = new FeedPage(log.key(), title(log.key(), 0), 0, view.newestArchive(log, size), 0, entries,
        log.lastChange(), tombstones);
    for (String extension : EXTENSIONS) {
      feedDocument(page, extension).ifPresent(doc -> batch.put(page.path(extension), doc));
    }
  }

  private static final List<String> EXTENSIONS = List.of("rss", "atom", "json");

  /** One feed document in one format, or empty if it cannot be rendered (the cache keeps the old one). */
  private Optional<CachedDocument> feedDocument(FeedPage page, String extension) {
    String path = page.path(extension);
    Optional<CachedDocument> doc = switch (extension) {
      case "rss" -> render(path, "rss", page.entries(), e -> rss.render(page.withEntries(e)))
          .map(bytes -> CachedDocument.of(200, RSS, bytes, page.updated()));
      case "atom" -> render(path, "atom", page.entries(), e -> atom.render(page.withEntries(e)))
          .map(bytes -> CachedDocument.of(200, ATOM, bytes, page.updated()));
      default -> render(path, "json", page.entries(), e -> json.render(page.withEntries(e)))
          .map(bytes -> CachedDocument.of(200, JSON_FEED, bytes, page.updated()));
    };
    // WebSub discovery (hub and self) on current documents, built once per render, not per request.
    String link = page.isArchive() ? null : links.discoveryHeader(page.feed(), extension);
    return link == null ? doc : doc.map(d -> d.withLink(link));
  }

  private void renderIndex(Map<String, CachedDocument> batch) {
    FeedLog all = view.all();
    List<FeedLog> feeds = new ArrayList<>(view.feeds());
    render("/", "html", entries(view.current(all, INDEX_ITEMS), "/"), recent -> pages.index(recent, feeds))
        .ifPresent(bytes -> batch.put("/", CachedDocument.of(200, HTML, bytes, all.lastChange())));
    // Stamped with the newest change of any feed, so a fresh instance and a long-running one serve
    // the same bytes; rendered again only when that or the list of feeds moved.
    Instant newest = feeds.stream().map(FeedLog::lastChange).max(Instant::compareTo).orElse(Instant.EPOCH);
    if (feeds.size() != opmlFeeds || !newest.equals(opmlNewest)) {
      batch.put(OPML_PATH, CachedDocument.of(200, OPML, opml.render(feeds, newest), newest));
      opmlFeeds = feeds.size();
      opmlNewest = newest;
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
      renders++;
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
          renders++;
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

  // Written by the view thread only; read by tests and the gauge.
  private volatile long renders;

  /**
   * Documents rendered since start (feeds, archive pages, report and index pages; not the OPML).
   * Requests never render a document the cache holds, so this grows once per change per affected
   * document and once per archive or report page first asked for. Any thread.
   */
  public long renderCount() {
    return renders;
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
   * Renders an archive page or report page not in the cache, and caches it, but only if every report
   * it needs is in the content cache or in {@code supplied}: it reads nothing back itself, so the
   * view thread never waits for Kafka on a request.
   *
   * @param asked positions read back for this request so far; one of them the topic did not return
   *     is left out of the page (as {@link #renderOnDemand(String)} does), not asked for again
   * @param supplied the reports read back at those positions; kept in the content cache
   */
  public OnDemand prepareOnDemand(String path, long[] asked, Map<Long, MeetingReport> supplied) {
    if (cache.get(path).isEmpty() && awaitingContent(path)) {
      return new OnDemand.Unavailable(); // never rendered, and its content is still being read
    }
    content.readBack(supplied);
    pending = new Pending(asked, supplied);
    try {
      return new OnDemand.Rendered(renderOnDemand(path));
    } catch (NeedsContent e) {
      return new OnDemand.Missing(e.positions);
    } finally {
      pending = null;
    }
  }

  /**
   * What {@link #prepareOnDemand} found: the document (or none), the positions to read back first,
   * or that it waits for content.
   */
  public sealed interface OnDemand {
    record Rendered(Optional<CachedDocument> document) implements OnDemand {}

    record Missing(long[] positions) implements OnDemand {}

    /** A current document never rendered yet, whose content could not be read (yet). */
    record Unavailable() implements OnDemand {}
  }

  // Set only while prepareOnDemand runs (view thread): content comes from the cache and what the
  // request read back, and anything else aborts the render before it caches anything.
  private Pending pending;

  private record Pending(long[] asked, Map<Long, MeetingReport> supplied) {}

  /** Thrown out of a render that needs reports not at hand; caught in prepareOnDemand. */
  private static final class NeedsContent extends RuntimeException {
    private final long[] positions;

    NeedsContent(long[] positions) {
      super(null, null, false, false);
      this.positions = positions;
    }
  }

  private Map<Long, MeetingReport> content(long[] positions) {
    if (pending == null && reader == null) {
      return content.get(positions);
    }
    if (pending == null) {
      // Content must be at hand here (renderStale made sure); else this render waits for a read.
      pending = new Pending(new long[0], Map.of());
      try {
        return content(positions);
      } finally {
        pending = null;
      }
    }
    Map<Long, MeetingReport> found = content.peek(positions);
    long[] missing = new long[positions.length];
    int m = 0;
    for (long p : positions) {
      if (found.containsKey(p)) {
        continue;
      }
      MeetingReport r = pending.supplied().get(p);
      if (r != null) {
        found.put(p, r);
      } else if (!contains(pending.asked(), p)) {
        missing[m++] = p;
      }
    }
    if (m > 0) {
      throw new NeedsContent(java.util.Arrays.copyOf(missing, m));
    }
    return found;
  }

  private static boolean contains(long[] values, long value) {
    for (long v : values) {
      if (v == value) {
        return true;
      }
    }
    return false;
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
      return renderArchive(path, archive.group(1), archive.group(2), archive.group(3));
    }
    Matcher report = REPORT.matcher(path);
    if (report.matches()) {
      return renderReport(path, report.group(1));
    }
    Matcher current = CURRENT.matcher(path);
    if (current.matches()) {
      return renderUnpinnedCurrent(path, current.group(1));
    }
    return Optional.empty();
  }

  /**
   * A current document that did not fit {@code feed.pinned.bytes} and was evicted from the page
   * LRU since: rendered again (its three formats) into the LRU.
   */
  private Optional<CachedDocument> renderUnpinnedCurrent(String path, String basePath) {
    Optional<FeedLog> log = view.feed(basePath);
    if (log.isEmpty() || !rendered) {
      return Optional.empty();
    }
    Map<String, CachedDocument> batch = new HashMap<>();
    renderCurrent(log.get(), batch);
    batch.forEach(cache::putPage);
    return Optional.ofNullable(batch.get(path));
  }

  private Optional<CachedDocument> renderArchive(String path, String basePath, String label, String extension) {
    Optional<FeedLog> log = view.feed(basePath);
    long id = ArchiveId.parse(label);
    Optional<ArchiveSlice> slice = log.isEmpty() || id <= 0 ? Optional.empty()
        : view.archive(log.get(), id, settings.itemsPerDocument());
    if (slice.isEmpty()) {
      return Optional.empty();
    }
    FeedKey key = log.get().key();
    List<Entry> entries = entries(slice.get().reports(), path);
    // A function of the page's own reports only, so every instance computes the same bytes.
    Instant updated = entries.stream().map(Entry::updated).max(Instant::compareTo).orElse(Instant.EPOCH);
    FeedPage page = new FeedPage(key, title(key, id), id, slice.get().prev(), slice.get().next(), entries, updated,
        List.of());
    CachedDocument doc = feedDocument(page, extension)
        .map(d -> slice.get().settled() ? d.asSettled() : d)
        .orElseThrow(() -> new IllegalStateException(path + " cannot be rendered"));
    cache.putPage(path, doc);
    return Optional.of(doc);
  }

  /** Topic positions of the reports' latest versions, read into the content cache in one pass. */
  private long[] positions(int[] ords) {
    ReportIndex index = view.index();
    long[] positions = new long[ords.length];
    for (int i = 0; i < ords.length; i++) {
      positions[i] = Position.of(index.partition(ords[i]), index.offset(ords[i]));
    }
    return positions;
  }

  /** The reports as entries, their content from the cache or read back from the topic. */
  private List<Entry> entries(int[] ords, String path) {
    ReportIndex index = view.index();
    long[] positions = positions(ords);
    Map<Long, MeetingReport> reports = content(positions);
    List<Entry> out = new ArrayList<>(ords.length);
    for (int i = 0; i < ords.length; i++) {
      MeetingReport report = reports.get(positions[i]);
      if (report == null) {
        metrics.renderFailed("content");
        markRendered(path, true);
        LOG.error("Report {} at {}-{} could not be read back from the topic; left out of {}", index.id(ords[i]),
            index.partition(ords[i]), index.offset(ords[i]), path);
        continue;
      }
      long time = index.time(ords[i]);
      out.add(new Entry(new EntryKey(time, index.partition(ords[i]), index.offset(ords[i])), report,
          Instant.ofEpochMilli(time)));
    }
    return out;
  }

  private Optional<CachedDocument> renderReport(String path, String id) {
    int ord = view.find(id);
    Optional<Entry> entry = ord >= 0 && view.index().isLive(ord)
        ? entries(new int[] {ord}, path).stream().findFirst() : Optional.empty();
    CachedDocument doc;
    if (entry.isPresent()) {
      Optional<byte[]> page = render(path, "html", List.of(entry.get()), e -> pages.report(e.get(0)));
      doc = page.isPresent() ? CachedDocument.of(200, HTML, page.get(), entry.get().updated())
          : CachedDocument.of(500, HTML, pages.unavailable(id), entry.get().updated());
    } else if (view.isRetracted(id)) {
      Instant when = view.retractedAt(id);
      String reason = view.retractionReason(id).orElse(null);
      String title = lastKnown(id).map(MeetingReport::title).orElse(null);
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

  private String title(FeedKey key, long page) {
    String title = switch (key.kind()) {
      case ALL -> settings.title();
      case DISTRICT -> key.label() + ": meeting reports (Bulletin)";
      case TAG -> "Meeting reports on " + key.label() + " (Bulletin)";
    };
    return page == 0 ? title : title + ", archive " + ArchiveId.label(page);
  }

  /** The report's current or last version before retraction; for the title of its 410 page. */
  private Optional<MeetingReport> lastKnown(String id) {
    int ord = view.find(id);
    if (ord < 0 || view.index().offset(ord) < 0) {
      return Optional.empty();
    }
    long position = Position.of(view.index().partition(ord), view.index().offset(ord));
    return Optional.ofNullable(content(new long[] {position}).get(position));
  }

  /** Estimated bytes of the per-report index and feed orders, as of the last batch; any thread. */
  public long indexBytes() {
    return indexBytes;
  }

  /** Estimated bytes of the decoded-report cache; any thread. */
  public long contentCacheBytes() {
    return content.cachedBytes();
  }

  /** Closes the content reader; call once the view thread has stopped. */
  public void close() {
    content.close();
  }

  /** For metrics and health: how many reports the view holds. */
  public int reportCount() {
    return view.reportCount();
  }
}
