package org.bulletin.launcher;

/** The exit codes every {@code ./bulletin} command uses. */
public final class ExitCodes {
  public static final int OK = 0;
  /** The command ran but failed (some file not published, a port taken, a start that failed). */
  public static final int FAILED = 1;
  /** Bad options or arguments: nothing was done. */
  public static final int USAGE = 2;
  /** Kafka could not be reached. */
  public static final int KAFKA_UNAVAILABLE = 3;

  static final String HELP = "Exit codes: 0 success, 1 failed (see the message), 2 usage error (nothing done),"
      + " 3 Kafka unreachable.";

  private ExitCodes() {}
}
