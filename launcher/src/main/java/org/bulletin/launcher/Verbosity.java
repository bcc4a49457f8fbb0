package org.bulletin.launcher;

import picocli.CommandLine.Option;

/** {@code --verbose}, shared by the commands that talk to Kafka. */
public final class Verbosity {
  private boolean verbose;

  @Option(names = "--verbose", description = "show Kafka's client logging and Bulletin's INFO lines (quiet otherwise)")
  void setVerbose(boolean verbose) {
    this.verbose = verbose;
    if (verbose) {
      KafkaLogging.verbose();
    }
  }

  boolean isVerbose() {
    return verbose;
  }
}
