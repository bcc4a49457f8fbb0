package org.bulletin.launcher;

import picocli.CommandLine.Option;

/** {@code --verbose}, shared by the commands that talk to Kafka. */
public final class Verbosity {
  @Option(names = "--verbose", description = "show Kafka's client logging (quiet otherwise)")
  void setVerbose(boolean verbose) {
    if (verbose) {
      KafkaLogging.verbose();
    }
  }
}
