package org.bulletin.producer.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.bulletin.platform.config.Config;
import org.bulletin.platform.config.ConfigException;
import org.bulletin.platform.config.KafkaSettings;
import org.bulletin.platform.exec.BoundedExecutor;
import org.bulletin.platform.kafka.KafkaUnavailableException;
import org.bulletin.platform.kafka.TopicAdmin;
import org.bulletin.producer.ingest.Accepted;
import org.bulletin.producer.index.ReportIndex;
import org.bulletin.producer.index.ReportIndexReader;
import org.bulletin.producer.ingest.ReportIngest;
import org.bulletin.producer.ingest.ReportInputException;
import org.bulletin.producer.ingest.ReportReader;
import org.bulletin.producer.kafka.EventPublisher;
import org.bulletin.schema.CloudEventCodec;
import org.bulletin.schema.EventJson;
import org.bulletin.schema.MeetingReport;
import org.bulletin.schema.ReportEvent;

/**
 * {@code bulletin publish [--dry-run] [--bootstrap-servers H:P] [--config FILE] FILE|DIR…}.
 * Publishes each file (JSON or text article); one bad file does not stop the rest. Exit codes:
 * 0 all published, 1 some file failed, 2 usage error, 3 Kafka unreachable.
 */
public final class PublishCommand {
  public static final int OK = 0;
  public static final int SOME_FAILED = 1;
  public static final int USAGE = 2;
  public static final int KAFKA_UNAVAILABLE = 3;
  private static final int MAX_IN_FLIGHT = 64;
  private static final int LIST_EACH_FILE_UP_TO = 50;
  /** How long publishing waits for the reports topic to be read before giving up. */
  private static final long INDEX_TIMEOUT_MS = 120_000;

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private final ReportReader reader = new ReportReader();

  public PublishCommand(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  public static String usage() {
    return String.join("\n",
        "usage: bulletin publish [--dry-run] [--bootstrap-servers HOST:PORT] [--config FILE] FILE|DIR...",
        "  Publishes meeting reports: JSON documents (schema meeting-report v1) or plain-text articles.",
        "  A directory is searched for *.json and *.txt files.",
        "  --dry-run              print the events as JSON, one per line, and send nothing",
        "  --bootstrap-servers    Kafka to publish to (default: kafka.bootstrap.servers)",
        "  --config FILE          properties file (default: BULLETIN_CONFIG)",
        "  exit codes: 0 all published, 1 some file failed, 2 usage error, 3 Kafka unreachable");
  }

  public int run(List<String> args) {
    boolean dryRun = false;
    Path configFile = null;
    Map<String, String> overrides = new HashMap<>();
    List<Path> inputs = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--dry-run" -> dryRun = true;
        case "--bootstrap-servers", "--config" -> {
          if (i + 1 >= args.size()) {
            return usageError(arg + " needs a value");
          }
          String value = args.get(++i);
          if (arg.equals("--config")) {
            configFile = Path.of(value);
          } else {
            overrides.put("kafka.bootstrap.servers", value);
          }
        }
        case "-h", "--help" -> {
          out.println(usage());
          return OK;
        }
        default -> {
          if (arg.startsWith("--")) {
            return usageError("unknown option " + arg);
          }
          inputs.add(Path.of(arg));
        }
      }
    }
    if (inputs.isEmpty()) {
      return usageError("name at least one file or directory");
    }
    Config config;
    try {
      config = Config.load(configFile, env, overrides);
    } catch (ConfigException e) {
      err.println("bulletin publish: " + e.getMessage());
      return USAGE;
    }
    Files files = collect(inputs);
    return dryRun ? dryRun(files, config) : publish(files, config);
  }

  private int usageError(String message) {
    err.println("bulletin publish: " + message);
    err.println(usage());
    return USAGE;
  }

  /** The files to publish and the inputs that are missing. */
  private record Files(List<Path> found, List<String> missing) {}

  private Files collect(List<Path> inputs) {
    List<Path> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Path input : inputs) {
      if (java.nio.file.Files.isDirectory(input)) {
        try (Stream<Path> walk = java.nio.file.Files.walk(input)) {
          walk.filter(java.nio.file.Files::isRegularFile)
              .filter(p -> {
                String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return name.endsWith(".json") || name.endsWith(".txt");
              })
              .sorted()
              .forEach(found::add);
        } catch (IOException e) {
          missing.add(input + ": cannot list directory (" + e.getMessage() + ")");
        }
      } else if (java.nio.file.Files.isRegularFile(input)) {
        found.add(input);
      } else {
        missing.add(input + ": no such file or directory");
      }
    }
    return new Files(found, missing);
  }

  private MeetingReport read(Path file) throws ReportInputException {
    byte[] bytes;
    try {
      bytes = java.nio.file.Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ReportInputException("unreadable", "cannot read the file: " + e.getMessage());
    }
    return reader.read(bytes, ReportReader.sniff(file.getFileName().toString(), bytes), null);
  }

  private int dryRun(Files files, Config config) {
    files.missing().forEach(m -> err.println("FAILED " + m));
    int failed = files.missing().size();
    String source = config.string("producer.event.source");
    for (Path file : files.found()) {
      try {
        out.println(cloudEventJson(ReportEvent.published(read(file), Clock.systemUTC().instant(), source)));
      } catch (ReportInputException e) {
        failed++;
        err.println("FAILED " + file + ": " + e.code() + ": " + e.describe());
      }
    }
    err.printf(Locale.ROOT, "Dry run: %d of %d files would be published; %d failed. Nothing was sent.%n",
        files.found().size() + files.missing().size() - failed, files.found().size() + files.missing().size(), failed);
    return failed == 0 ? OK : SOME_FAILED;
  }

  /** The event in CloudEvents' JSON format, for --dry-run. */
  static String cloudEventJson(ReportEvent event) {
    JsonObject json = new JsonObject()
        .put("specversion", CloudEventCodec.SPEC_VERSION)
        .put("id", event.eventId())
        .put("source", event.source())
        .put("type", event.type().ceType())
        .put("subject", event.reportId())
        .put("time", event.time().toString())
        .put("datacontenttype", CloudEventCodec.CONTENT_TYPE)
        .put("dataschema", CloudEventCodec.REPORT_SCHEMA_URI)
        .put("data", new JsonObject(EventJson.mapper().convertValue(event.data(), Map.class)));
    return json.encode();
  }

  private int publish(Files files, Config config) {
    if (files.found().isEmpty()) {
      // Nothing to send: say what is missing rather than whether Kafka answers.
      files.missing().forEach(m -> err.println("FAILED " + m));
      err.println("bulletin publish: no report file to publish; nothing was sent.");
      return SOME_FAILED;
    }
    files.missing().forEach(m -> err.println("FAILED " + m));
    KafkaSettings kafka = KafkaSettings.from(config);
    try {
      TopicAdmin.ensureTopics(kafka, List.of(kafka.reports()), 10_000);
    } catch (KafkaUnavailableException e) {
      err.println("bulletin publish: cannot reach Kafka at " + kafka.bootstrapServers() + ": " + e.getMessage());
      err.println("Nothing was published. Start Kafka (./bulletin up) or pass --bootstrap-servers.");
      return KAFKA_UNAVAILABLE;
    }
    int total = files.found().size() + files.missing().size();
    Progress progress = new Progress(total, total <= LIST_EACH_FILE_UP_TO);
    files.missing().forEach(progress::counted);
    Vertx vertx = Vertx.vertx();
    BoundedExecutor executor = new BoundedExecutor("bulletin-cli-send", 2, MAX_IN_FLIGHT * 2);
    EventPublisher publisher = new EventPublisher(kafka, config.longValue("producer.send.timeout.ms", 500, 600_000),
        executor);
    boolean kafkaLost = false;
    // Reads the topic first, so files whose content is already the current version send nothing.
    ReportIndex index = new ReportIndex();
    ReportIndexReader indexReader = new ReportIndexReader(kafka, index);
    indexReader.start();
    try {
      ReportIngest ingest = new ReportIngest(vertx, publisher, kafka.reports().name(),
          config.string("producer.event.source"), Clock.systemUTC(), index, indexReader::isCaughtUp,
          INDEX_TIMEOUT_MS);
      Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
      AtomicInteger kafkaFailures = new AtomicInteger();
      List<Future<Accepted>> pending = new ArrayList<>();
      for (Path file : files.found()) {
        if (kafkaFailures.get() > 0) {
          progress.failed(file + ": not sent, Kafka stopped acknowledging");
          continue;
        }
        MeetingReport report;
        try {
          report = read(file);
        } catch (ReportInputException e) {
          progress.failed(file + ": " + e.code() + ": " + e.describe());
          continue;
        }
        inFlight.acquireUninterruptibly();
        Future<Accepted> sent = ingest.publish(report).onComplete(ar -> {
          inFlight.release();
          if (ar.succeeded()) {
            Accepted a = ar.result();
            if (a.unchanged()) {
              progress.unchanged(file + " → " + a.reportId() + " unchanged (already the current version)");
            } else {
              progress.ok(file + " → " + a.reportId() + " (partition " + a.partition() + ", offset " + a.offset() + ")");
            }
          } else {
            if (ar.cause() instanceof KafkaUnavailableException) {
              kafkaFailures.incrementAndGet();
            }
            progress.failed(file + ": " + ar.cause().getMessage());
          }
        });
        pending.add(sent);
      }
      Future.join(pending).otherwiseEmpty().await();
      kafkaLost = kafkaFailures.get() > 0;
    } finally {
      indexReader.close();
      publisher.close();
      executor.close();
      vertx.close().await();
    }
    progress.summary();
    if (kafkaLost) {
      err.println("bulletin publish: Kafka at " + kafka.bootstrapServers() + " stopped acknowledging; files marked"
          + " FAILED were not published.");
      return KAFKA_UNAVAILABLE;
    }
    return progress.failures() == 0 ? OK : SOME_FAILED;
  }

  /** Counts and prints results; thread-safe because sends complete on a Vert.x thread. */
  private final class Progress {
    private final int total;
    private final boolean listEach;
    private final long start = System.nanoTime();
    private int done;
    private int failures;
    private int unchanged;
    private long lastReport = System.nanoTime();

    Progress(int total, boolean listEach) {
      this.total = total;
      this.listEach = listEach;
    }

    synchronized void ok(String line) {
      done++;
      if (listEach) {
        out.printf(Locale.ROOT, "[%d/%d] ok      %s%n", done, total, line);
      }
      maybeReport();
    }

    synchronized void unchanged(String line) {
      unchanged++;
      ok(line);
    }

    synchronized void failed(String line) {
      done++;
      failures++;
      err.printf(Locale.ROOT, "[%d/%d] FAILED  %s%n", done, total, line);
      maybeReport();
    }

    /** A failure already printed (a missing input, reported before Kafka was asked). */
    synchronized void counted(String line) {
      done++;
      failures++;
    }

    synchronized int failures() {
      return failures;
    }

    private void maybeReport() {
      long now = System.nanoTime();
      if (!listEach && now - lastReport > 1_000_000_000L) {
        lastReport = now;
        out.printf(Locale.ROOT, "… %d/%d files (%.0f/s), %d failed%n", done, total, rate(), failures);
      }
    }

    private double rate() {
      double seconds = (System.nanoTime() - start) / 1e9;
      return seconds <= 0 ? 0 : done / seconds;
    }

    synchronized void summary() {
      double seconds = (System.nanoTime() - start) / 1e9;
      out.printf(Locale.ROOT, "Published %d of %d files in %.1f s (%.1f files/s); %d failed.%s%n",
          done - failures, total, seconds, rate(), failures,
          unchanged == 0 ? "" : " " + unchanged + " unchanged (nothing sent for them).");
    }
  }
}
