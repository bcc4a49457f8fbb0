package org.bulletin.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bulletin.feed.FeedSettings;
import org.bulletin.platform.config.Config;
import org.bulletin.producer.ProducerSettings;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs here, so this keeps docker-compose.yml honest: its services, ports and
 * BULLETIN_* variables against the configuration the code actually reads, and its Dockerfiles
 * against the real entry points.
 */
class DockerComposeTest {
  private static final Path ROOT = Path.of(System.getProperty("bulletin.repo.root", ".."));
  private static final Pattern DEFAULTED = Pattern.compile("^\\$\\{[A-Z_]+(?::-([^}]*)|:\\?[^}]*)}$");

  private static JsonNode compose() throws Exception {
    return new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile());
  }

  /** The environment a service gets, with ${VAR:-default} resolved and ${VAR:?} given a value. */
  private static Map<String, String> environment(JsonNode service) {
    Map<String, String> env = new HashMap<>();
    service.path("environment").properties().forEach(e -> {
      Matcher m = DEFAULTED.matcher(e.getValue().asText());
      env.put(e.getKey(), m.matches() ? (m.group(1) != null ? m.group(1) : "compose-test-token") : e.getValue().asText());
    });
    return env;
  }

  @Test
  void servicesAreKafkaProducerAndFeedService() throws Exception {
    assertThat(compose().path("services").fieldNames()).toIterable()
        .containsExactlyInAnyOrder("kafka", "producer", "feed-service");
    assertThat(compose().at("/services/kafka/image").asText()).startsWith("apache/kafka:4.");
    assertThat(compose().at("/services/kafka/environment/KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
  }

  @Test
  void everyBulletinVariableIsOneTheCodeReads() throws Exception {
    Set<String> known = Config.of(Map.of()).asMap().keySet();
    for (String name : List.of("producer", "feed-service")) {
      for (String variable : environment(compose().path("services").path(name)).keySet()) {
        assertThat(variable).startsWith("BULLETIN_");
        String key = variable.substring("BULLETIN_".length()).toLowerCase().replace('_', '.');
        assertThat(known.contains(key) || key.startsWith("kafka."))
            .as(name + ": " + variable + " sets " + key + ", which no code reads").isTrue();
      }
    }
  }

  @Test
  void publishedPortsAreTheOnesTheServicesListenOn() throws Exception {
    JsonNode services = compose().path("services");
    ProducerSettings producer = ProducerSettings.from(Config.load(null, environment(services.path("producer")), Map.of()));
    FeedSettings feed = FeedSettings.from(Config.load(null, environment(services.path("feed-service")), Map.of()));
    assertThat(containerPorts(services.path("producer"))).containsExactly(producer.port());
    assertThat(containerPorts(services.path("feed-service"))).containsExactly(feed.port(), feed.managementPort());
  }

  @Test
  void servicesReachTheComposeBrokerOnItsAdvertisedListener() throws Exception {
    JsonNode services = compose().path("services");
    String advertised = services.at("/kafka/environment/KAFKA_ADVERTISED_LISTENERS").asText();
    for (String name : List.of("producer", "feed-service")) {
      String bootstrap = environment(services.path(name)).get("BULLETIN_KAFKA_BOOTSTRAP_SERVERS");
      assertThat(advertised).as(name).isEqualTo("PLAINTEXT://" + bootstrap);
      assertThat(services.path(name).at("/depends_on/kafka/condition").asText()).isEqualTo("service_healthy");
    }
  }

  @Test
  void dockerfilesRunTheRealEntryPointsAndExposeThePorts() throws Exception {
    JsonNode services = compose().path("services");
    Map<String, String> mains = Map.of("producer", "org.bulletin.producer.ProducerMain",
        "feed-service", "org.bulletin.feed.FeedMain");
    for (Map.Entry<String, String> e : mains.entrySet()) {
      JsonNode service = services.path(e.getKey());
      Path dockerfile = ROOT.resolve(service.at("/build/dockerfile").asText());
      String text = Files.readString(dockerfile);
      assertThat(text).contains("\"" + e.getValue() + "\"");
      Class.forName(e.getValue()).getMethod("main", String[].class);
      for (int port : containerPorts(service)) {
        assertThat(text).containsPattern("EXPOSE .*\\b" + port + "\\b");
      }
    }
  }

  private static List<Integer> containerPorts(JsonNode service) {
    List<Integer> ports = new java.util.ArrayList<>();
    service.path("ports").forEach(p -> ports.add(Integer.parseInt(p.asText().split(":")[1])));
    return ports;
  }
}
