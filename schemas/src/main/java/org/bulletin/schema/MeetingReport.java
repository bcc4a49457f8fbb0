package org.bulletin.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.util.List;

/**
 * Version 1 of the meeting-report event data; mirrors {@code schemas/meeting-report.v1.schema.json}
 * field for field (a test keeps the two in step). Fields a report does not state are {@code null}
 * (or empty lists), never guessed.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record MeetingReport(
    String id,
    String title,
    LocalDate publishedDate,
    LocalDate meetingDate,
    String district,
    Official presider,
    List<Official> attendees,
    String source,
    String sourceUrl,
    List<String> body,
    String summary,
    List<String> tags,
    String language) {

  public MeetingReport {
    attendees = attendees == null ? List.of() : List.copyOf(attendees);
    body = body == null ? List.of() : List.copyOf(body);
    tags = tags == null ? List.of() : List.copyOf(tags);
    language = language == null ? "en" : language;
  }

  public MeetingReport withId(String newId) {
    return new MeetingReport(newId, title, publishedDate, meetingDate, district, presider, attendees,
        source, sourceUrl, body, summary, tags, language);
  }
}
