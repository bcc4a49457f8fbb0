package org.bulletin.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.bulletin.localkafka.LocalKafka;
import org.bulletin.localkafka.LocalKafkaSettings;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Resolves a {@link KafkaBroker} parameter with one real broker started once per test JVM and
 * stopped when the JVM's tests are done. System property {@code bulletin.it.kafka} chooses it:
 * {@code local} (default, the KRaft broker from Maven artifacts) or {@code testcontainers} (the
 * official {@code apache/kafka} image; every test is skipped where no Docker engine runs).
 */
public final class KafkaBrokerExtension implements ParameterResolver, ExecutionCondition {
  public static final String IMAGE = "apache/kafka:4.1.0";
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

  /** In the testcontainers profile without a Docker engine, every test of the class is disabled. */
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (!"testcontainers".equals(System.getProperty("bulletin.it.kafka", "local"))) {
      return ConditionEvaluationResult.enabled("local broker");
    }
    boolean docker = context.getRoot().getStore(NS).getOrComputeIfAbsent("docker",
        k -> DockerClientFactory.instance().isDockerAvailable(), Boolean.class);
    return docker ? ConditionEvaluationResult.enabled("Docker engine found")
        : ConditionEvaluationResult.disabled("no Docker engine: the testcontainers profile is skipped");
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    String kind = System.getProperty("bulletin.it.kafka", "local");
    return context.getRoot().getStore(NS).getOrComputeIfAbsent("broker",
        k -> "testcontainers".equals(kind) ? new ContainerBroker() : new LocalBroker(), AutoCloseable.class);
  }

  private static final class LocalBroker implements KafkaBroker, AutoCloseable {
    private final Path dir;
    private final LocalKafka kafka;

    LocalBroker() {
      try {
        dir = Files.createTempDirectory("bulletin-it-kafka");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      kafka = LocalKafka.start(LocalKafkaSettings.ephemeral(dir));
    }

    @Override
    public String bootstrapServers() {
      return kafka.bootstrapServers();
    }

    @Override
    public String kind() {
      return "local";
    }

    @Override
    public void close() throws IOException {
      kafka.close();
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static final class ContainerBroker implements KafkaBroker, AutoCloseable {
    private final KafkaContainer container = new KafkaContainer(IMAGE);

    ContainerBroker() {
      container.start();
    }

    @Override
    public String bootstrapServers() {
      return container.getBootstrapServers();
    }

    @Override
    public String kind() {
      return "testcontainers";
    }

    @Override
    public void close() {
      container.stop();
    }
  }
}
