package org.bulletin.feed.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine knows endpoints, payloads and signers, never a channel's types: no compiled class of
 * {@code delivery} refers to {@code webhook} (or {@code websub}) in its constant pool, which holds
 * every class a class uses, whether imported, fully qualified or only in a signature.
 */
class EngineIndependenceTest {
  private static List<Path> classesOf(Class<?> sample) throws URISyntaxException, IOException {
    Path root = Path.of(sample.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path dir = root.resolve(sample.getPackageName().replace('.', '/'));
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".class")).toList();
    }
  }

  private static List<String> referring(List<Path> classes, String pkg) throws IOException {
    byte[] needle = pkg.replace('.', '/').concat("/").getBytes(StandardCharsets.UTF_8);
    List<String> out = new java.util.ArrayList<>();
    for (Path c : classes) {
      if (contains(Files.readAllBytes(c), needle)) {
        out.add(c.getFileName().toString());
      }
    }
    return out;
  }

  private static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Test
  void noDeliveryClassUsesAChannelsTypes() throws Exception {
    List<Path> engine = classesOf(DeliveryTask.class);
    assertThat(engine).as("the engine's compiled classes").hasSizeGreaterThan(20);

    assertThat(referring(engine, "org.bulletin.feed.webhook")).isEmpty();
    assertThat(referring(engine, "org.bulletin.feed.websub")).isEmpty();
  }

  @Test
  void theCheckSeesAReferenceWhereThereIsOne() throws Exception {
    // The webhook package adapts to the engine, so its classes must show up as referring to it.
    List<Path> webhook = classesOf(org.bulletin.feed.webhook.WebhookEndpoints.class);
    assertThat(referring(webhook, "org.bulletin.feed.delivery")).contains("WebhookEndpoints.class");
  }
}
