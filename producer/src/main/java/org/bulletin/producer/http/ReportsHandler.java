package org.bulletin.producer.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.bulletin.platform.exec.OverloadedException;
import org.bulletin.platform.http.Problem;
import org.bulletin.platform.http.ProblemException;
import org.bulletin.platform.kafka.KafkaUnavailableException;
import org.bulletin.producer.ingest.Accepted;
import org.bulletin.producer.index.IndexBehindException;
import org.bulletin.producer.ingest.ReportInputException;
import org.bulletin.producer.ingest.ReportIngest;
import org.bulletin.producer.ingest.ReportReader;
import org.bulletin.producer.ingest.UnknownReportException;
import org.bulletin.schema.MeetingReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/reports}: POST publishes, PUT corrects, DELETE retracts. Answers 202 only once Kafka
 * acknowledged the event, 200 {@code "unchanged"} when the report already is in that state (nothing
 * written), 404 for a correction or retraction of a report that does not exist. A document is
 * checked as every consumer will check it, so what is accepted is never dead-lettered for its
 * content. All callbacks run on the request's event-loop thread.
 */
public final class ReportsHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ReportsHandler.class);
  private static final String ID_PATTERN = "^[a-z0-9](?:[a-z0-9-]{0,126}[a-z0-9])?$";

  private final ReportReader reader;
  private final ReportIngest ingest;
  private final String feedBaseUrl;

  public ReportsHandler(ReportReader reader, ReportIngest ingest, String feedBaseUrl) {
    this.reader = reader;
    this.ingest = ingest;
    this.feedBaseUrl = feedBaseUrl;
  }

  public void publish(RoutingContext ctx) {
    MeetingReport report = read(ctx, null);
    respond(ctx, ingest.publish(report));
  }

  public void correct(RoutingContext ctx) {
    MeetingReport report = read(ctx, pathId(ctx));
    respond(ctx, ingest.correct(report));
  }

  public void retract(RoutingContext ctx) {
    String id = pathId(ctx);
    String reason = null;
    if (ctx.body().length() > 0) {
      try {
        JsonObject body = ctx.body().asJsonObject();
        reason = body == null ? null : body.getString("reason");
      } catch (RuntimeException e) {
        throw new ProblemException(Problem.of(400, "malformed-json", "Malformed JSON",
            "A retraction body must be a JSON object such as {\"reason\": \"…\"}."));
      }
    }
    try {
      reader.retraction(id, reason);
    } catch (ReportInputException e) {
      throw new ProblemException(problem(e));
    }
    respond(ctx, ingest.retract(id, reason));
  }

  private MeetingReport read(RoutingContext ctx, String expectedId) {
    ReportReader.Format format = format(ctx.request().getHeader("Content-Type"));
    byte[] bytes = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    try {
      return reader.read(bytes, format, expectedId);
    } catch (ReportInputException e) {
      throw new ProblemException(problem(e));
    }
  }

  /** 400 for input that cannot be read as a document at all, 422 for a document that says something invalid. */
  private static Problem problem(ReportInputException e) {
    int status = switch (e.code()) {
      case "schema-violation", "illegal-character", "unsupported-url", "date-out-of-range" -> 422;
      default -> 400;
    };
    return new Problem(status, e.code(), title(e.code()), e.getMessage(), e.violations());
  }

  private static ReportReader.Format format(String contentType) {
    String type = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
    if (type.equals("application/json") || type.endsWith("+json")) {
      return ReportReader.Format.JSON;
    }
    if (type.equals("text/plain")) {
      return ReportReader.Format.TEXT;
    }
    throw new ProblemException(Problem.of(415, "unsupported-media-type", "Unsupported media type",
        "Send a report as application/json (schema meeting-report v1) or as a text/plain article"
            + (type.isEmpty() ? "; the request has no Content-Type." : "; got " + type + ".")));
  }

  private static String pathId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (id == null || !id.matches(ID_PATTERN)) {
      throw new ProblemException(Problem.of(400, "invalid-id", "Invalid report id",
          "A report id is lowercase letters, digits and hyphens (at most 128), e.g. 2022-04-27-huiji-meeting."));
    }
    return id;
  }

  private void respond(RoutingContext ctx, Future<Accepted> accepted) {
    // 200 "unchanged": the report already is in this state and nothing was written.
    accepted.onSuccess(a -> ctx.response()
            .setStatusCode(a.unchanged() ? 200 : 202)
            .putHeader("Content-Type", "application/json")
            .putHeader("Location", feedBaseUrl + "/reports/" + a.reportId())
            .end(new JsonObject()
                .put("id", a.reportId())
                .put("status", a.unchanged() ? "unchanged" : "accepted")
                .put("eventId", a.eventId())
                .put("type", a.type().shortName())
                .put("partition", a.partition())
                .put("offset", a.offset())
                .put("url", feedBaseUrl + "/reports/" + a.reportId())
                .encode()))
        .onFailure(error -> fail(ctx, error));
  }

  private static void fail(RoutingContext ctx, Throwable error) {
    if (error instanceof UnknownReportException unknown) {
      Problem.of(404, "unknown-report", unknown.retracted() ? "Report retracted" : "Unknown report",
          unknown.getMessage()).send(ctx);
    } else if (error instanceof IndexBehindException) {
      LOG.warn("Report index behind: {}", error.getMessage());
      ctx.response().putHeader("Retry-After", "2");
      Problem.of(503, "index-behind", "Report index behind",
          "Whether this report exists is not known yet: this instance has not read the latest reports. Retry shortly.")
          .send(ctx);
    } else if (error instanceof OverloadedException) {
      ctx.response().putHeader("Retry-After", "1");
      Problem.of(503, "overloaded", "Overloaded", "Too many reports are being sent; retry shortly.").send(ctx);
    } else if (error instanceof KafkaUnavailableException) {
      LOG.warn("Report not accepted: {}", error.getMessage());
      ctx.response().putHeader("Retry-After", "5");
      Problem.of(503, "kafka-unavailable", "Kafka unavailable",
          "Kafka did not acknowledge the report in time, so whether it was published is unknown: it may still be "
              + "written. Retrying the same request is safe: it carries the same event id and answers "
              + "\"unchanged\" if the first attempt went through.")
          .send(ctx);
    } else if (error instanceof RecordTooLargeException) {
      Problem.of(413, "payload-too-large", "Payload too large", "The event exceeds Kafka's maximum record size.").send(ctx);
    } else {
      ctx.fail(error);
    }
  }

  private static String title(String code) {
    return switch (code) {
      case "schema-violation" -> "Report does not match the schema";
      case "illegal-character" -> "Character not allowed";
      case "unsupported-url" -> "URL not allowed";
      case "date-out-of-range" -> "Date out of range";
      case "malformed-json" -> "Malformed JSON";
      case "empty-document" -> "Empty document";
      case "not-text" -> "Not text";
      case "not-an-article" -> "Not an article";
      case "id-mismatch" -> "Id mismatch";
      default -> "Invalid report";
    };
  }
}
