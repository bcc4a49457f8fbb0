package org.bulletin.feed.view;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.bulletin.schema.MeetingReport;

/**
 * The materialized view of the reports topic: the latest version of each report and the history
 * of every feed. Built only from the records, so every instance that read the same records holds
 * the same view. Not thread-safe: confined to the view thread.
 */
public final class ReportView {
  private final Map<String, Entry> latest = new HashMap<>();
  private final Map<String, Instant> retracted = new HashMap<>();
  // The last version of each retracted report, so a retraction can still be matched to filters.
  private final Map<String, MeetingReport> lastRetracted = new HashMap<>();
  // The publisher's reason, for the 410 page; the tombstone that follows a retraction has none.
  private final Map<String, String> retractionReasons = new HashMap<>();
  private final Map<String, FeedLog> feeds = new TreeMap<>();

  public ReportView() {
    feeds.put(FeedKey.ALL.basePath(), new FeedLog(FeedKey.ALL));
  }

  /** Applies changes in order; a version equal to the current one is a harmless duplicate. */
  public Applied apply(List<Change> changes) {
    Applied applied = new Applied();
    for (Change change : changes) {
      if (change instanceof Change.Upsert upsert) {
        upsert(upsert, applied);
      } else if (change instanceof Change.Retract retract) {
        retract(retract, applied);
      }
    }
    return applied;
  }

  private void upsert(Change.Upsert change, Applied applied) {
    MeetingReport report = change.report();
    Entry previous = latest.get(report.id());
    if (previous != null && previous.report().equals(report)) {
      applied.duplicate();
      return;
    }
    Entry entry = new Entry(change.key(), report, change.time());
    latest.put(report.id(), entry);
    retracted.remove(report.id());
    lastRetracted.remove(report.id());
    retractionReasons.remove(report.id());
    Set<FeedKey> keys = membership(report);
    for (FeedKey key : keys) {
      FeedLog log = feeds.computeIfAbsent(key.basePath(), p -> new FeedLog(key));
      int at = log.add(entry);
      if (at < log.size() - 1) {
        applied.markArchivesChanged(); // a late record shifted later positions
      }
      log.changedAt(change.time());
      applied.feed(key);
    }
    if (previous != null) {
      for (FeedKey left : membership(previous.report())) {
        if (!keys.contains(left)) {
          feeds.get(left.basePath()).changedAt(change.time());
          applied.feed(left);
        }
      }
    }
    applied.report(report.id());
  }

  private void retract(Change.Retract change, Applied applied) {
    Entry previous = latest.remove(change.reportId());
    // The tombstone after a retracted event keeps the retraction's time and reason.
    retracted.putIfAbsent(change.reportId(), change.time());
    if (change.reason() != null) {
      retractionReasons.put(change.reportId(), change.reason());
    }
    if (previous != null) {
      lastRetracted.put(change.reportId(), previous.report());
    }
    applied.report(change.reportId());
    if (previous == null) {
      applied.duplicate();
      return;
    }
    for (FeedKey key : membership(previous.report())) {
      feeds.get(key.basePath()).changedAt(change.time());
      applied.feed(key);
    }
    applied.markArchivesChanged();
  }

  private static Set<FeedKey> membership(MeetingReport report) {
    Set<FeedKey> keys = new HashSet<>();
    keys.add(FeedKey.ALL);
    if (report.district() != null && !FeedKey.slug(report.district()).isEmpty()) {
      keys.add(FeedKey.district(report.district()));
    }
    report.tags().forEach(t -> keys.add(FeedKey.tag(t)));
    return keys;
  }

  /** The newest {@code n} reports of a feed, newest change first, each once, retracted ones left out. */
  public List<Entry> current(FeedLog log, int n) {
    List<Entry> out = new ArrayList<>(n);
    List<Entry> entries = log.entries();
    for (int i = entries.size() - 1; i >= 0 && out.size() < n; i--) {
      Entry e = entries.get(i);
      if (latest.get(e.reportId()) == e) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * Full archive page {@code page} (1 = oldest) of a feed, newest first: the versions as they
   * entered the feed, each report once, retracted reports left out. Empty if the page is not full.
   */
  public List<Entry> archivePage(FeedLog log, int page, int size) {
    if (page < 1 || page > log.fullPages(size)) {
      return List.of();
    }
    Map<String, Entry> byReport = new LinkedHashMap<>();
    List<Entry> entries = log.entries().subList((page - 1) * size, page * size);
    for (int i = entries.size() - 1; i >= 0; i--) {
      Entry e = entries.get(i);
      if (!retracted.containsKey(e.reportId())) {
        byReport.putIfAbsent(e.reportId(), e);
      }
    }
    return new ArrayList<>(byReport.values());
  }

  /** The report's current version, or the last one it had before it was retracted. */
  public Optional<MeetingReport> lastKnown(String id) {
    Entry entry = latest.get(id);
    return entry != null ? Optional.of(entry.report()) : Optional.ofNullable(lastRetracted.get(id));
  }

  public Optional<Entry> report(String id) {
    return Optional.ofNullable(latest.get(id));
  }

  public boolean isRetracted(String id) {
    return retracted.containsKey(id);
  }

  /** When {@code id} was retracted; only for a retracted report. */
  public Instant retractedAt(String id) {
    return retracted.get(id);
  }

  /** The reason the publisher gave for retracting {@code id}, if it gave one and it was read. */
  public Optional<String> retractionReason(String id) {
    return Optional.ofNullable(retractionReasons.get(id));
  }

  public Optional<FeedLog> feed(String basePath) {
    return Optional.ofNullable(feeds.get(basePath));
  }

  public FeedLog all() {
    return feeds.get(FeedKey.ALL.basePath());
  }

  /** Every feed, all reports first, then districts and tags by slug. */
  public Collection<FeedLog> feeds() {
    return Collections.unmodifiableCollection(feeds.values());
  }

  public int reportCount() {
    return latest.size();
  }
}
