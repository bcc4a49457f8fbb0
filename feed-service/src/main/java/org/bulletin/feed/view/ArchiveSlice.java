package org.bulletin.feed.view;

/**
 * One archive page of a feed: its reports newest first, and its neighbours (RFC 5005).
 *
 * @param settled full, and of a month older than the newest archive month: new reports never
 *     reach it (they enter the current document and push its oldest into the newest month's
 *     pages); only a correction, backfill or retraction of a report of its month changes it
 * @param reports ordinals in the {@link ReportIndex}, newest first
 * @param prev the next older archive page, or {@link ArchiveId#CURRENT} (0) if there is none
 * @param next the next newer archive page, or 0 if this is the newest
 */
public record ArchiveSlice(long id, int[] reports, long prev, long next, boolean settled) {}
