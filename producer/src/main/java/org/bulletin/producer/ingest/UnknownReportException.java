package org.bulletin.producer.ingest;

/** A correction or retraction of a report the reports topic does not hold (or no longer does). */
public final class UnknownReportException extends RuntimeException {
  private final boolean retracted;

  public UnknownReportException(String reportId, boolean retracted) {
    super(retracted
        ? "Report " + reportId + " was retracted; publish it again with POST /v1/reports."
        : "No report " + reportId + " was published; publish it with POST /v1/reports.", null, false, false);
    this.retracted = retracted;
  }

  public boolean retracted() {
    return retracted;
  }
}
