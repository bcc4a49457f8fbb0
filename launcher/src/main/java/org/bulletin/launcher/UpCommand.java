package org.bulletin.launcher;

import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.bulletin.feed.FeedSettings;
import org.bulletin.feed.FeedVerticle;
import org.bulletin.feed.webhook.WebhookSettings;
import org.bulletin.localkafka.LocalKafka;
import org.bulletin.localkafka.LocalKafkaException;
import org.bulletin.localkafka.LocalKafkaSettings;
import org.bulletin.platform.config.Config;
import org.bulletin.platform.config.ConfigException;
import org.bulletin.platform.config.KafkaSettings;
import org.bulletin.platform.kafka.KafkaUnavailableException;
import org.bulletin.platform.kafka.TopicAdmin;
import org.bulletin.producer.ProducerSettings;
import org.bulletin.producer.ProducerVerticle;
import org.bulletin.producer.cli.PublishCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./bulletin up}: a local KRaft broker (unless --bootstrap-servers names a cluster), the
 * topics, the ingest API and the feed service in this JVM, then the bundled samples. Blocks until
 * the JVM is asked to stop; then stops the services, then the broker. The broker is a child JVM
 * that also exits on its own if this JVM is killed.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
    header = "Start everything locally: Kafka, the ingest API, the feed service, the samples.",
    description = "Start Kafka (or use --bootstrap-servers), the ingest API and the feed service, publish the"
        + " bundled samples and print the URLs. Ctrl-C (or SIGTERM) stops everything.",
    footer = {"", "Webhooks in development: each setting you did not configure (environment or --config file)"
        + " is relaxed on its own: without BULLETIN_WEBHOOK_ALLOW_HTTP, up allows http; without"
        + " BULLETIN_WEBHOOK_ALLOWLIST, up allows loopback (127.0.0.1/32,::1/128). So ./bulletin listen can"
        + " receive deliveries; the banner names what was relaxed. Other entry points keep the strict defaults.",
        "", ExitCodes.HELP})
public final class UpCommand implements Callable<Integer> {
  /** Where the development secrets key is kept, when {@code ./bulletin up} made one. */
  private java.nio.file.Path devSecretsKeyFile;

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  public UpCommand(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
      description = "use this Kafka cluster and start no broker")
  String bootstrapServers;

  @Option(names = "--config", paramLabel = "FILE", description = "properties file (default: BULLETIN_CONFIG)")
  Path configFile;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "where the local broker keeps its data and the "
      + "development token (default: ${DEFAULT-VALUE})")
  Path dataDir = Path.of(".bulletin");

  @Option(names = "--kafka-port", paramLabel = "PORT", description = "client port of the local broker (default: "
      + "${DEFAULT-VALUE})")
  int kafkaPort = 9092;

  @Option(names = "--samples", paramLabel = "DIR", description = "reports to publish at start (default: ${DEFAULT-VALUE})")
  Path samples = Path.of("samples");

  @Option(names = "--no-samples", description = "publish nothing at start")
  boolean noSamples;

  @Mixin
  Verbosity verbosity;

  @Override
  public Integer call() {
    Options options = new Options(bootstrapServers, configFile, dataDir, kafkaPort, noSamples ? null : samples);
    Map<String, String> overrides = new HashMap<>();
    if (options.bootstrapServers() != null) {
      overrides.put("kafka.bootstrap.servers", options.bootstrapServers());
    }
    Config config;
    Map<String, String> relaxed;
    try {
      config = Config.load(options.configFile(), env, overrides);
      relaxed = DevelopmentWebhooks.relaxations(options.configFile(), env);
      config = config.with(relaxed);
    } catch (ConfigException | java.io.UncheckedIOException e) {
      err.println("bulletin up: " + e.getMessage());
      return ExitCodes.USAGE;
    }

    LocalKafka kafka = null;
    Vertx vertx = null;
    try {
      if (options.bootstrapServers() == null) {
        out.println("Starting a local Kafka broker (data in " + options.dataDir().resolve("kafka") + ") …");
        kafka = LocalKafka.start(new LocalKafkaSettings(options.dataDir().resolve("kafka"), options.kafkaPort(), 0,
            512, Duration.ofSeconds(90)));
        config = config.with(Map.of("kafka.bootstrap.servers", kafka.bootstrapServers()));
      }
      String devToken = null;
      if (config.list("api.tokens").isEmpty()) {
        devToken = DevToken.loadOrCreate(options.dataDir());
        config = config.with(Map.of("api.tokens", devToken));
      }
      if (config.list("secrets.keys").isEmpty()) {
        config = config.with(Map.of("secrets.keys", DevSecretsKey.loadOrCreate(options.dataDir()),
            "secrets.active.key", "dev"));
        devSecretsKeyFile = options.dataDir().resolve("dev-secrets-key");
      }
      if (config.list("portal.secrets").isEmpty()) {
        config = config.with(Map.of("portal.secrets", DevPortalSecret.loadOrCreate(options.dataDir())));
      }
      KafkaSettings kafkaSettings = KafkaSettings.from(config);
      TopicAdmin.ensureTopics(kafkaSettings, List.of(kafkaSettings.reports(), kafkaSettings.deadLetter()), 30_000);

      vertx = Vertx.vertx();
      ProducerVerticle producer = new ProducerVerticle(ProducerSettings.from(config));
      vertx.deployVerticle(producer).await();
      FeedVerticle feed = new FeedVerticle(FeedSettings.from(config), WebhookSettings.from(config));
      vertx.deployVerticle(feed).await();

      int published = 0;
      if (options.samples() != null && Files.isDirectory(options.samples())) {
        out.println("Publishing the samples in " + options.samples() + " …");
        Map<String, String> publishEnv = new HashMap<>(env);
        config.withPrefix("topics.").forEach((k, v) -> publishEnv.put(Config.envName("topics." + k), v));
        List<String> publishArgs = new ArrayList<>(List.of("--bootstrap-servers", kafkaSettings.bootstrapServers()));
        if (options.configFile() != null) {
          publishArgs.addAll(List.of("--config", options.configFile().toString()));
        }
        publishArgs.add(options.samples().toString());
        int exit = new PublishCommand(publishEnv, out, err).run(publishArgs);
        published = exit == PublishCommand.OK ? 1 : 0;
      }

      awaitFeedsReady(feed);
      printSummary(options, config, kafkaSettings, kafka, producer.actualPort(), feed, devToken, published > 0,
          DevelopmentWebhooks.banner(relaxed));
      awaitShutdown(vertx, kafka, out);
      return 0;
    } catch (KafkaUnavailableException e) {
      err.println("bulletin up: cannot reach Kafka: " + e.getMessage());
      close(vertx, kafka);
      return ExitCodes.KAFKA_UNAVAILABLE;
    } catch (LocalKafkaException | ConfigException e) {
      err.println("bulletin up: " + e.getMessage());
      close(vertx, kafka);
      return ExitCodes.FAILED;
    } catch (RuntimeException e) {
      err.println("bulletin up: could not start: " + e);
      close(vertx, kafka);
      return ExitCodes.FAILED;
    }
  }

  private void awaitFeedsReady(FeedVerticle feed) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!feed.isReady() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    if (!feed.isReady()) {
      err.println("bulletin up: the feed service has not caught up with Kafka yet; its feeds answer 503 until then");
    }
  }

  private void printSummary(Options options, Config config, KafkaSettings kafka, LocalKafka local, int producerPort,
      FeedVerticle feed, String devToken, boolean samplesOk, String webhooksBanner) {
    String ingest = "http://localhost:" + producerPort;
    String feeds = config.string("feed.base.url");
    String token = devToken != null ? devToken : "(one of BULLETIN_API_TOKENS)";
    out.println();
    out.println("Bulletin is up.");
    out.println("  Kafka          " + kafka.bootstrapServers()
        + (local != null ? "  (local KRaft broker, pid " + local.pid() + ")" : "  (external cluster)"));
    out.println("  Topics         " + kafka.reports().name() + ", " + kafka.deadLetter().name());
    out.println("  Ingest API     " + ingest + "/v1/reports   (OpenAPI: " + ingest + "/openapi.yaml)");
    out.println("  Feeds          " + feeds + "/   (index; RSS " + feeds + "/feeds/reports.rss, Atom "
        + feeds + "/feeds/reports.atom, JSON Feed " + feeds + "/feeds/reports.json)");
    out.println("  OPML           " + feeds + "/feeds.opml   (every feed, to import into a reader)");
    out.println("  Metrics        http://localhost:" + feed.managementPort() + "/metrics");
    out.println("  API token      " + token + (devToken != null ? "   (development token, kept in " + options.dataDir().resolve("dev-token") + ")" : ""));
    if (devSecretsKeyFile != null) {
      out.println("  Secrets key    development key sealing webhook secrets, kept in " + devSecretsKeyFile);
    }
    out.println("  Partner portal " + feeds + "/portal   (a partner opens it with a link: POST " + feeds
        + "/v1/partners/{id}/portal-link)");
    if (webhooksBanner != null) {
      out.println("  Webhooks       " + webhooksBanner);
    }
    out.println("  Samples        " + (options.samples() == null ? "none (--no-samples)"
        : samplesOk ? "published" : "not all published (see above)"));
    out.println();
    out.println("Try:");
    out.println("  curl -X POST " + ingest + "/v1/reports -H 'Authorization: Bearer " + token
        + "' -H 'Content-Type: text/plain' --data-binary @samples/huiji-economic-operation-meeting.txt");
    out.println("  ./bulletin listen --port 9000 --secret whsec_...   (a local webhook receiver; see README)");
    out.println();
    out.println("Press Ctrl-C to stop everything.");
    out.flush();
  }

  private static void awaitShutdown(Vertx vertx, LocalKafka kafka, PrintStream out) {
    CountDownLatch stopped = new CountDownLatch(1);
    if (kafka != null) {
      // JVM shutdown hooks run at the same time: only this one may stop the broker, after the
      // services have left their consumer groups (else the next start waits for their sessions).
      kafka.leaveStoppingToCaller();
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      long start = System.nanoTime();
      out.println("Stopping Bulletin …");
      long services = close(vertx, kafka);
      out.println("Stopped.");
      long total = java.time.Duration.ofNanos(System.nanoTime() - start).toMillis();
      out.println("(shutdown took " + total + " ms: services " + services + " ms, broker " + (total - services) + " ms)");
      stopped.countDown();
    }, "bulletin-up-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Services first, so they stop while Kafka still answers; then the broker. */
  /** @return how long the services took to stop, in milliseconds */
  private static long close(Vertx vertx, LocalKafka kafka) {
    long start = System.nanoTime();
    if (vertx != null) {
      try {
        vertx.close().await();
      } catch (RuntimeException ignored) {
        // Stopping anyway.
      }
    }
    long services = java.time.Duration.ofNanos(System.nanoTime() - start).toMillis();
    if (kafka != null) {
      kafka.close();
    }
    return services;
  }

  record Options(String bootstrapServers, Path configFile, Path dataDir, int kafkaPort, Path samples) {}
}
