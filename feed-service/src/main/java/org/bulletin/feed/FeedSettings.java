package org.bulletin.feed;

import org.bulletin.platform.config.Config;
import org.bulletin.platform.config.KafkaSettings;

/**
 * The feed service's settings, parsed and checked once at start.
 *
 * @param httpInstances HTTP servers, each on its own event loop ("auto": one per core)
 * @param baseUrl public URL of this service; every link and feed id is built from it
 * @param itemsPerDocument items in each current feed document and each archive page
 * @param settledArchiveMaxAgeSeconds {@code max-age} of a settled archive page: full, of a month older than the
 *     newest archive month, so only a correction, backfill or retraction of one of its reports changes it
 * @param pageCacheBytes bytes of rendered archive pages and report pages kept (body and gzip); bounds memory
 * @param pinnedBytes bytes of current documents kept pinned (all-reports feed, index and OPML always; then
 *     district and tag feeds while they fit; the rest are cached like pages)
 * @param reportCacheBytes decoded reports kept for rendering (estimated bytes); the rest are read back from Kafka
 * @param readBackThreads reads of report content from Kafka in flight at once, each with a consumer of its own
 * @param readBackQueue page reads waiting for a read-back thread; beyond this, requests get 503
 * @param readBackTimeoutMs how long a page waits for Kafka to return its reports before answering 503
 * @param readBackDownAfterSeconds how long current documents may wait for content that cannot be read
 *     back before readiness turns DOWN (they would otherwise freeze while the instance looks ready)
 * @param tombstonesPerDocument Atom tombstones (RFC 6721) of recent retractions in each current document
 * @param tombstoneMaxAgeHours retractions older than this get no tombstone
 * @param retractionReasonsBytes retraction reasons kept for 410 pages, in bytes; the oldest go first
 * @param tagAuthority the authority of the tag URIs used as feed and item ids; never change it
 * @param portal the partner portal's keys and lifetimes
 * @param websub the WebSub hub's leases, bounds and topic
 */
public record FeedSettings(
    String host,
    int port,
    int httpInstances,
    int managementPort,
    String baseUrl,
    int itemsPerDocument,
    String title,
    int maxAgeSeconds,
    int settledArchiveMaxAgeSeconds,
    long pageCacheBytes,
    long pinnedBytes,
    int renderQueue,
    long reportCacheBytes,
    int readBackThreads,
    int readBackQueue,
    int readBackTimeoutMs,
    int readBackDownAfterSeconds,
    int tombstonesPerDocument,
    int tombstoneMaxAgeHours,
    long retractionReasonsBytes,
    String tagAuthority,
    KafkaSettings kafka,
    org.bulletin.feed.portal.PortalSettings portal,
    org.bulletin.feed.websub.WebSubSettings websub) {

  public static FeedSettings from(Config config) {
    return new FeedSettings(
        config.string("feed.http.host"),
        config.integer("feed.http.port", 0, 65535),
        config.string("feed.http.instances").equals("auto") ? Runtime.getRuntime().availableProcessors()
            : config.integer("feed.http.instances", 1, 256),
        config.integer("feed.management.port", 0, 65535),
        config.string("feed.base.url").replaceAll("/+$", ""),
        config.integer("feed.items.per.document", 1, 1000),
        config.string("feed.title"),
        config.integer("feed.max.age.seconds", 0, 86_400),
        config.integer("feed.archive.settled.max.age.seconds", 0, 31_536_000),
        config.longValue("feed.page.cache.bytes", 65_536, Long.MAX_VALUE),
        config.longValue("feed.pinned.bytes", 65_536, Long.MAX_VALUE),
        config.integer("feed.render.queue", 1, 100_000),
        config.longValue("feed.report.cache.bytes", 65_536, 1L << 40),
        config.integer("feed.readback.threads", 1, 64),
        config.integer("feed.readback.queue", 1, 100_000),
        config.integer("feed.readback.timeout.ms", 100, 600_000),
        config.integer("feed.readback.down.after.seconds", 1, 86_400),
        config.integer("feed.tombstones.per.document", 0, 1000),
        config.integer("feed.tombstones.max.age.hours", 1, 100_000),
        config.longValue("feed.retraction.reasons.bytes", 0, 1L << 34),
        config.string("feed.tag.authority"),
        KafkaSettings.from(config),
        org.bulletin.feed.portal.PortalSettings.from(config),
        org.bulletin.feed.websub.WebSubSettings.from(config));
  }
}
