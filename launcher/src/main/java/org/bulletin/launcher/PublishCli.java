package org.bulletin.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bulletin.producer.cli.PublishCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./bulletin publish}: options parsed here, the work done by the producer's {@link PublishCommand}. */
@Command(name = "publish", mixinStandardHelpOptions = true,
    header = "Publish report files or directories to Kafka.",
    description = "Publish meeting reports: JSON documents (schema meeting-report v1) or plain-text articles."
        + " A directory is searched for *.json and *.txt files. One bad file does not stop the others.",
    footer = {"", "Exit codes: 0 all published, 1 some file failed (the others were published),"
        + " 2 usage error (nothing sent), 3 Kafka unreachable."})
final class PublishCli implements Callable<Integer> {
  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  @Option(names = "--dry-run", description = "print the events as CloudEvents JSON, one per line, and send nothing")
  boolean dryRun;

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
      description = "Kafka to publish to (default: kafka.bootstrap.servers, BULLETIN_KAFKA_BOOTSTRAP_SERVERS)")
  String bootstrapServers;

  @Option(names = "--config", paramLabel = "FILE", description = "properties file (default: BULLETIN_CONFIG)")
  Path config;

  @Mixin
  Verbosity verbosity;

  @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "report files or directories")
  List<Path> inputs;

  PublishCli(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    if (!verbosity.isVerbose()) {
      KafkaLogging.quietBulletin();
    }
    List<String> args = new ArrayList<>();
    if (dryRun) {
      args.add("--dry-run");
    }
    if (bootstrapServers != null) {
      args.addAll(List.of("--bootstrap-servers", bootstrapServers));
    }
    if (config != null) {
      args.addAll(List.of("--config", config.toString()));
    }
    inputs.forEach(p -> args.add(p.toString()));
    return new PublishCommand(env, out, err).run(args);
  }
}
