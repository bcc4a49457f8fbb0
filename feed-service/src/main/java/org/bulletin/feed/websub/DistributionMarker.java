package org.bulletin.feed.websub;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * What the distributor last handed to the delivery engine for a topic: the document's ETag and the
 * time of its newest change, so a leader never sends a document older than one already sent (a
 * new leader's view may lag the previous one's). Record value: {@code <epoch millis> <etag>};
 * a value written before lastModified was kept is the bare ETag (lastModified unknown).
 */
public record DistributionMarker(String etag, Instant lastModified) {

  public static DistributionMarker parse(String value) {
    int space = value.indexOf(' ');
    if (space > 0 && value.substring(0, space).chars().allMatch(Character::isDigit)) {
      return new DistributionMarker(value.substring(space + 1), Instant.ofEpochMilli(Long.parseLong(value.substring(0, space))));
    }
    return new DistributionMarker(value, null);
  }

  public byte[] encode() {
    return (lastModified.toEpochMilli() + " " + etag).getBytes(StandardCharsets.UTF_8);
  }

  /** Whether a document with this last change is older than the one this marker records. */
  public boolean newerThan(Instant documentLastModified) {
    return lastModified != null && documentLastModified.isBefore(lastModified);
  }

  /**
   * Whether a new leader sends a topic's current document: when nothing was recorded for it (its
   * last change may never have been sent: a duplicate is acceptable, a lost change is not), or when
   * the document differs from the recorded one and is not older than it.
   */
  public static boolean takeOverSends(DistributionMarker marker, String etag, Instant lastModified) {
    return marker == null || (!marker.etag().equals(etag) && !marker.newerThan(lastModified));
  }
}
