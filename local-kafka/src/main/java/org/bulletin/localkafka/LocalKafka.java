package org.bulletin.localkafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka broker (broker and controller in one process) run in a child JVM
 * from the {@code kafka_2.13} artifacts. The child keeps the broker's dependencies off the caller's
 * classpath and exits when the caller's JVM goes away, however it goes.
 *
 * <p>Not a fake: clients talk to it over TCP exactly as they would to a cluster.
 */
public final class LocalKafka implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalKafka.class);
  private static final String CLASSPATH_RESOURCE = "broker.classpath";

  private final Process process;
  private final String bootstrapServers;
  private final Path logFile;
  private final Thread shutdownHook;

  private LocalKafka(Process process, String bootstrapServers, Path logFile) {
    this.process = process;
    this.bootstrapServers = bootstrapServers;
    this.logFile = logFile;
    this.shutdownHook = new Thread(this::stop, "local-kafka-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Formats the storage on first use, starts the broker and returns once it answers a client.
   *
   * @throws LocalKafkaException when it does not start in time; the message carries its log's tail
   */
  public static LocalKafka start(LocalKafkaSettings settings) {
    try {
      Path dataDir = settings.dataDir().toAbsolutePath();
      Files.createDirectories(dataDir);
      int port = settings.port() == 0 ? freePort() : settings.port();
      int controllerPort = settings.controllerPort() == 0 ? freePort() : settings.controllerPort();
      requireFree(port, "client");
      requireFree(controllerPort, "controller");
      Path config = writeConfig(dataDir, port, controllerPort);
      Path log = dataDir.resolve("broker.log");
      String classpath = brokerClasspath();
      if (!Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
        format(settings, classpath, config, log);
      }
      List<String> command = javaCommand(settings, classpath, dataDir);
      command.add(BrokerMain.class.getName());
      command.add(config.toString());
      Process process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
      // stdin stays open as the child's lifeline; see BrokerMain.
      String bootstrap = "127.0.0.1:" + port;
      LocalKafka kafka = new LocalKafka(process, bootstrap, log);
      try {
        kafka.awaitReady(settings.startTimeout());
      } catch (RuntimeException e) {
        kafka.close();
        throw e;
      }
      LOG.info("Local Kafka broker ready at {} (pid {}, data in {})", bootstrap, process.pid(), dataDir);
      return kafka;
    } catch (IOException e) {
      throw new LocalKafkaException("cannot start the local Kafka broker: " + e.getMessage(), e);
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public long pid() {
    return process.pid();
  }

  /**
   * The caller stops the broker itself (with {@link #close()}) when the JVM shuts down: this
   * broker's own shutdown hook would otherwise stop it at the same time as the caller's hook stops
   * the clients, which then cannot leave their groups. The child still exits if this JVM dies.
   */
  public void leaveStoppingToCaller() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException ignored) {
      // Already shutting down: the hook is running or has run.
    }
  }

  /** Stops the broker (SIGTERM, then SIGKILL after 20 s) and waits for it to exit. */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException ignored) {
      // Already shutting down: the hook is running or has run.
    }
  }

  private void stop() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        LOG.warn("Local Kafka broker did not stop within 20 s; killing it");
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    // Wait for the port first: an admin client on a closed port logs a warning every 100 ms.
    awaitPort(deadline, timeout);
    Map<String, Object> config = Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000,
        AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    try (Admin admin = Admin.create(config)) {
      while (true) {
        if (!process.isAlive()) {
          throw new LocalKafkaException("the local Kafka broker exited with code " + process.exitValue()
              + " while starting. Its log (" + logFile + ") ends with:\n" + tail(logFile));
        }
        try {
          admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes().get(3, TimeUnit.SECONDS);
          return;
        } catch (Exception notYet) {
          if (System.nanoTime() > deadline) {
            throw new LocalKafkaException("the local Kafka broker did not answer within " + timeout.toSeconds()
                + " s. Its log (" + logFile + ") ends with:\n" + tail(logFile));
          }
          sleep(100);
        }
      }
    }
  }

  private void awaitPort(long deadline, Duration timeout) {
    String[] hostPort = bootstrapServers.split(":");
    while (true) {
      if (!process.isAlive()) {
        throw new LocalKafkaException("the local Kafka broker exited with code " + process.exitValue()
            + " while starting. Its log (" + logFile + ") ends with:\n" + tail(logFile));
      }
      try (java.net.Socket socket = new java.net.Socket()) {
        socket.connect(new java.net.InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 500);
        return;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          throw new LocalKafkaException("the local Kafka broker did not open its port within " + timeout.toSeconds()
              + " s. Its log (" + logFile + ") ends with:\n" + tail(logFile));
        }
        sleep(100);
      }
    }
  }

  private static void format(LocalKafkaSettings settings, String classpath, Path config, Path log)
      throws IOException {
    List<String> command = javaCommand(settings, classpath, config.getParent());
    command.addAll(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
        "-c", config.toString(), "--ignore-formatted"));
    Process format = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    try {
      format.getOutputStream().close();
      if (!format.waitFor(60, TimeUnit.SECONDS)) {
        format.destroyForcibly();
        throw new LocalKafkaException("formatting the Kafka storage took longer than 60 s");
      }
      if (format.exitValue() != 0) {
        throw new LocalKafkaException("formatting the Kafka storage failed (exit " + format.exitValue() + "):\n"
            + tail(log));
      }
    } catch (InterruptedException e) {
      format.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new LocalKafkaException("interrupted while formatting the Kafka storage", e);
    }
  }

  private static List<String> javaCommand(LocalKafkaSettings settings, String classpath, Path dataDir) {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xms128m");
    command.add("-Xmx" + settings.heapMb() + "m");
    command.add("-XX:+UseG1GC");
    command.add("-Djava.awt.headless=true");
    command.add("-Dkafka.logs.dir=" + dataDir);
    command.add("-Dlog4j2.configurationFile=" + dataDir.resolve("log4j2.properties"));
    command.add("-cp");
    command.add(classpath);
    return command;
  }

  private static Path writeConfig(Path dataDir, int port, int controllerPort) throws IOException {
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", "1");
    p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.setProperty("log.dirs", dataDir.resolve("logs").toString());
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    // Consumer-protocol groups (KIP-848): a member that died without leaving is fenced after
    // 10 s instead of 45 s, so a crashed local instance's partitions move on quickly.
    p.setProperty("group.consumer.min.session.timeout.ms", "6000");
    p.setProperty("group.consumer.session.timeout.ms", "10000");
    // Bulletin creates its own topics; a typo must fail, not create a topic.
    p.setProperty("auto.create.topics.enable", "false");
    Path config = dataDir.resolve("server.properties");
    try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
      p.store(w, "Written by Bulletin's LocalKafka on each start");
    }
    Files.writeString(dataDir.resolve("log4j2.properties"), String.join("\n",
        "rootLogger.level = INFO",
        "rootLogger.appenderRef.out.ref = out",
        "appender.out.type = Console",
        "appender.out.name = out",
        "appender.out.layout.type = PatternLayout",
        "appender.out.layout.pattern = [%d] %p %m (%c)%n",
        "logger.kafka.name = kafka",
        "logger.kafka.level = WARN",
        "logger.apache.name = org.apache.kafka",
        "logger.apache.level = WARN",
        "logger.server.name = kafka.server.KafkaRaftServer",
        "logger.server.level = INFO",
        ""));
    return config;
  }

  /** The child's classpath: this module's code plus the broker artifacts resolved at build time. */
  static String brokerClasspath() throws IOException {
    try (InputStream in = LocalKafka.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
      if (in == null) {
        throw new LocalKafkaException("broker classpath resource missing; build with ./mvnw package first");
      }
      String artifacts = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      String self = Paths.get(LocalKafka.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
      return self + java.io.File.pathSeparator + artifacts;
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void requireFree(int port, String what) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      throw new LocalKafkaException("the " + what + " port " + port
          + " on 127.0.0.1 is in use (is another broker running?)");
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalKafkaException("interrupted while waiting for the broker", e);
    }
  }
}
