package org.bulletin.feed.view;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.bulletin.schema.MeetingReport;

/**
 * The materialized view of the reports topic, reduced to what compaction keeps: the latest version
 * of each report (as a {@link ReportIndex} entry, content left in Kafka) and the retractions seen.
 * Every feed lists its live reports by published date, then time of the latest version, then
 * report id; its current document is
 * the newest {@code n} of them and every older report is on exactly one archive page, the pages of
 * its publication month ({@link ArchiveId}). So documents are a function of the latest versions
 * alone: an instance rebuilt after compaction computes the same pages. Not thread-safe: confined
 * to the view thread.
 */
public final class ReportView {
  private final ReportIndex index = new ReportIndex();
  private final Map<String, FeedLog> feeds = new TreeMap<>();
  // Feed memberships are few distinct combinations (district and tags): each report holds an int.
  private final Map<List<FeedKey>, Integer> membershipIds = new HashMap<>();
  private final List<FeedLog[]> memberships = new ArrayList<>();
  private final RetractionReasons retractionReasons;
  private final RecentRetractions recentRetractions;
  private final Vocabulary vocabulary = new Vocabulary();
  // Read by health checks on other threads.
  private volatile int liveReports;

  public ReportView() {
    this(1000, java.time.Duration.ofDays(30), 1 << 20);
  }

  /** @param tombstones how many recent retractions are kept for tombstones, and for how long */
  public ReportView(int tombstones, java.time.Duration tombstoneAge) {
    this(tombstones, tombstoneAge, 1 << 20);
  }

  /** @param reasonsBytes retraction reasons kept for 410 pages (UTF-16 bytes); the oldest go first */
  public ReportView(int tombstones, java.time.Duration tombstoneAge, long reasonsBytes) {
    retractionReasons = new RetractionReasons(reasonsBytes);
    feeds.put(FeedKey.ALL.basePath(), new FeedLog(FeedKey.ALL));
    recentRetractions = new RecentRetractions(tombstones, tombstoneAge);
  }

  /** Applies changes in order; the latest record of a report always wins (as after compaction). */
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
    int ord = index.findOrAdd(report.id());
    int hash = report.hashCode();
    if (index.sameVersion(ord, change.time().toEpochMilli(), hash)) {
      // Compaction keeps the later copy: point there, so the content read back is what a rebuild reads.
      index.moved(ord, change.key().partition(), change.key().offset());
      applied.duplicate();
      return;
    }
    boolean wasLive = index.isLive(ord);
    FeedLog[] before = wasLive ? memberships.get(index.membership(ord)) : new FeedLog[0];
    int membership = membershipOf(report);
    FeedLog[] after = memberships.get(membership);
    // The schema requires a published date; the event time stands in should another producer omit it.
    int day = (int) (report.publishedDate() != null ? report.publishedDate().toEpochDay()
        : Math.floorDiv(change.time().toEpochMilli(), 86_400_000L));
    if (!wasLive) {
      liveReports++;
    }
    // Same place in the order only if the sort key (date and time) is unchanged.
    boolean sameKey = wasLive && index.day(ord) == day && index.time(ord) == change.time().toEpochMilli();
    for (FeedLog log : before) {
      if (!sameKey || !contains(after, log)) {
        log.remove(ord, index); // before the key changes
      }
    }
    index.live(ord, day, change.time().toEpochMilli(), change.key().partition(), change.key().offset(), membership, hash);
    retractionReasons.remove(report.id());
    for (FeedLog log : after) {
      if (!sameKey || !contains(before, log)) {
        log.add(ord);
      }
    }
    for (FeedLog log : before) {
      touch(log, change.time(), applied);
    }
    for (FeedLog log : after) {
      touch(log, change.time(), applied);
    }
    applied.report(report.id());
  }

  private static void touch(FeedLog log, Instant time, Applied applied) {
    log.changedAt(time);
    applied.feed(log.key());
  }

  private static boolean contains(FeedLog[] logs, FeedLog log) {
    for (FeedLog l : logs) {
      if (l == log) {
        return true;
      }
    }
    return false;
  }

  private int membershipOf(MeetingReport report) {
    Set<FeedKey> keys = new LinkedHashSet<>();
    keys.add(FeedKey.ALL);
    if (report.district() != null && !FeedKey.slug(report.district()).isEmpty()) {
      keys.add(FeedKey.district(report.district()));
    }
    report.tags().forEach(t -> keys.add(FeedKey.tag(t)));
    List<FeedKey> list = List.copyOf(keys);
    Integer id = membershipIds.get(list);
    if (id == null) {
      FeedLog[] logs = new FeedLog[list.size()];
      for (int i = 0; i < logs.length; i++) {
        FeedKey key = list.get(i);
        logs[i] = feeds.computeIfAbsent(key.basePath(), p -> new FeedLog(key));
        if (key.kind() == FeedKey.Kind.DISTRICT) {
          vocabulary.addDistrict(key.label());
        } else if (key.kind() == FeedKey.Kind.TAG) {
          vocabulary.addTag(key.slug());
        }
      }
      id = memberships.size();
      memberships.add(logs);
      membershipIds.put(list, id);
    }
    return id;
  }

  private void retract(Change.Retract change, Applied applied) {
    int ord = index.findOrAdd(change.reportId());
    applied.report(change.reportId());
    if (change.reason() != null) {
      retractionReasons.put(change.reportId(), change.reason()); // the tombstone after it has none
    }
    if (!index.isLive(ord)) {
      if (!index.isRetracted(ord)) {
        index.retracted(ord, change.time().toEpochMilli()); // retracted before any version was read
      }
      applied.duplicate(); // the tombstone after a retracted event keeps the retraction's time
      return;
    }
    for (FeedLog log : memberships.get(index.membership(ord))) {
      log.remove(ord, index);
      touch(log, change.time(), applied);
    }
    index.retracted(ord, change.time().toEpochMilli());
    liveReports--;
    recentRetractions.add(ord, change.time().toEpochMilli());
  }

  private FeedLog settled(FeedLog log) {
    log.settle(index, ord -> index.isLive(ord) && contains(memberships.get(index.membership(ord)), log));
    return log;
  }

  /** The newest {@code n} reports of a feed (by published date, time, id), newest first. */
  public int[] current(FeedLog log, int n) {
    settled(log);
    int size = log.size();
    int count = Math.min(n, size);
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      out[i] = log.at(size - 1 - i);
    }
    return out;
  }

  /** The newest archive page (what the current document's {@code prev-archive} names), or 0. */
  public long newestArchive(FeedLog log, int n) {
    settled(log);
    int end = Math.max(0, log.size() - n);
    return end == 0 ? ArchiveId.CURRENT : lastPageOfMonthEndingAt(log, end, n);
  }

  private long lastPageOfMonthEndingAt(FeedLog log, int end, int n) {
    int month = ArchiveId.yearMonth(index.day(log.at(end - 1)));
    int start = log.lowerBound(ArchiveId.firstDay(month), end, index);
    return ArchiveId.of(month, (end - start + n - 1) / n);
  }

  /**
   * An archive page of a feed: reports older than the current document's, of one publication
   * month, {@code n} per page counted from the month's oldest; empty if there is no such page.
   */
  public Optional<ArchiveSlice> archive(FeedLog log, long id, int n) {
    settled(log);
    int end = Math.max(0, log.size() - n);
    int month = ArchiveId.yearMonthOf(id);
    int page = ArchiveId.page(id);
    if (end == 0 || page < 1 || month % 100 < 1 || month % 100 > 12) {
      return Optional.empty();
    }
    int lo = log.lowerBound(ArchiveId.firstDay(month), end, index);
    int hi = log.lowerBound(ArchiveId.firstDay(ArchiveId.nextMonth(month)), end, index);
    long from = lo + (long) (page - 1) * n;
    if (from >= hi) {
      return Optional.empty();
    }
    int to = (int) Math.min(from + n, hi);
    int[] reports = new int[to - (int) from];
    for (int i = 0; i < reports.length; i++) {
      reports[i] = log.at(to - 1 - i);
    }
    long prev = page > 1 ? ArchiveId.of(month, page - 1)
        : lo > 0 ? lastPageOfMonthEndingAt(log, lo, n) : ArchiveId.CURRENT;
    long next = to < hi ? ArchiveId.of(month, page + 1)
        : hi < end ? ArchiveId.of(ArchiveId.yearMonth(index.day(log.at(hi))), 1) : ArchiveId.CURRENT;
    return Optional.of(new ArchiveSlice(id, reports, prev, next, reports.length == n && hi < end));
  }

  /**
   * Reports of this feed retracted recently, newest retraction first, at most {@code n}: for
   * Atom tombstones (RFC 6721). Recent means within the age limit before {@code reference}.
   */
  public int[] recentlyRetracted(FeedLog log, int n, Instant reference) {
    return recentRetractions.newest(n, reference, ord -> index.isRetracted(ord)
        && index.membership(ord) != ReportIndex.NO_MEMBERSHIP && contains(memberships.get(index.membership(ord)), log));
  }

  /** The report's ordinal, or -1 if never seen. */
  public int find(String id) {
    return index.find(id);
  }

  /** Every district and tag seen; safe to read from any thread. */
  public Vocabulary vocabulary() {
    return vocabulary;
  }

  public ReportIndex index() {
    return index;
  }

  public boolean isLive(String id) {
    int ord = index.find(id);
    return ord >= 0 && index.isLive(ord);
  }

  public boolean isRetracted(String id) {
    int ord = index.find(id);
    return ord >= 0 && index.isRetracted(ord);
  }

  /** When {@code id} was retracted; only for a retracted report. */
  public Instant retractedAt(String id) {
    return Instant.ofEpochMilli(index.time(index.find(id)));
  }

  /** The reason the publisher gave for retracting {@code id}, if it gave one and it was read. */
  public Optional<String> retractionReason(String id) {
    return retractionReasons.get(id);
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

  /** How many reports are live; any thread. */
  public int reportCount() {
    return liveReports;
  }

  /** Memory the index and the feed orders hold (estimated), for the memory figure per report. */
  public long estimatedBytes() {
    long bytes = index.estimatedBytes() + retractionReasons.bytes();
    for (FeedLog log : feeds.values()) {
      bytes += log.estimatedBytes();
    }
    return bytes;
  }
}
