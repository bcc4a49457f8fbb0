package org.bulletin.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * One report event as the contract defines it, independent of how it travels.
 *
 * <p>The event id is derived from the type, the report id and the canonical data, so submitting the
 * same report twice yields the same id and consumers can treat the second as a duplicate.
 *
 * <p>{@code facets} are the district and tags that subscription filters match. For published and
 * corrected events they are always those of {@code report} (the data wins over anything a record
 * claims). For a retraction they are those of the report's last version as the producer knew it,
 * or {@code null} when unknown (an event written before the attributes existed): the event id does
 * not depend on them.
 *
 * @param report the data of published and corrected events, else {@code null}
 * @param retraction the data of retracted events, else {@code null}
 * @param facets what filters match; see above
 */
public record ReportEvent(
    String eventId,
    EventType type,
    String reportId,
    Instant time,
    String source,
    MeetingReport report,
    Retraction retraction,
    ReportFacets facets) {

  public ReportEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(reportId, "reportId");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(source, "source");
    if ((type == EventType.RETRACTED) != (retraction != null) || (report == null) == (retraction == null)) {
      throw new IllegalArgumentException(type + " event carries the wrong data");
    }
    if (report != null) {
      facets = ReportFacets.of(report);
    }
  }

  public static ReportEvent published(MeetingReport report, Instant time, String source) {
    return ofReport(EventType.PUBLISHED, report, time, source);
  }

  public static ReportEvent corrected(MeetingReport report, Instant time, String source) {
    return ofReport(EventType.CORRECTED, report, time, source);
  }

  /** A retraction whose report's district and tags are not known (they travel as unknown). */
  public static ReportEvent retracted(Retraction retraction, Instant time, String source) {
    return retracted(retraction, null, time, source);
  }

  /** @param lastKnown district and tags of the report's last version, or {@code null} if unknown */
  public static ReportEvent retracted(Retraction retraction, ReportFacets lastKnown, Instant time, String source) {
    return new ReportEvent(deriveId(EventType.RETRACTED, retraction.id(), retraction), EventType.RETRACTED,
        retraction.id(), millis(time), source, null, retraction, lastKnown);
  }

  private static ReportEvent ofReport(EventType type, MeetingReport report, Instant time, String source) {
    return new ReportEvent(deriveId(type, report.id(), report), type, report.id(), millis(time), source, report,
        null, null);
  }

  /** The data object of this event: the report or the retraction. */
  public Object data() {
    return report != null ? report : retraction;
  }

  private static Instant millis(Instant time) {
    return time.truncatedTo(ChronoUnit.MILLIS);
  }

  private static String deriveId(EventType type, String reportId, Object data) {
    try {
      byte[] canonical = EventJson.mapper().writeValueAsBytes(data);
      byte[] prefix = (type.ceType() + '\n' + reportId + '\n').getBytes(StandardCharsets.UTF_8);
      byte[] all = new byte[prefix.length + canonical.length];
      System.arraycopy(prefix, 0, all, 0, prefix.length);
      System.arraycopy(canonical, 0, all, prefix.length, canonical.length);
      return UUID.nameUUIDFromBytes(all).toString();
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("event data cannot be serialized", e);
    }
  }
}
