package org.bulletin.launcher;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.bulletin.platform.config.Config;

/**
 * What {@code ./bulletin up} changes for webhooks in development: http and loopback addresses are
 * allowed, so that {@code ./bulletin listen} on this machine can receive deliveries. Each setting
 * is relaxed only when the operator configured it nowhere (environment, properties file); the
 * built-in defaults, which every other entry point uses, stay strict.
 */
final class DevelopmentWebhooks {
  static final String ALLOW_HTTP = "webhook.allow.http";
  static final String ALLOWLIST = "webhook.allowlist";
  static final String LOOPBACK = "127.0.0.1/32,::1/128";

  private DevelopmentWebhooks() {}

  /** The settings to add on top of the operator's configuration; empty when they set both. */
  static Map<String, String> relaxations(Path configFile, Map<String, String> env) {
    Properties file = read(configFile != null ? configFile
        : env.get(Config.CONFIG_FILE_ENV) != null ? Path.of(env.get(Config.CONFIG_FILE_ENV)) : null);
    Map<String, String> relaxed = new LinkedHashMap<>();
    for (String key : List.of(ALLOW_HTTP, ALLOWLIST)) {
      if (!env.containsKey(Config.envName(key)) && !file.containsKey(key)) {
        relaxed.put(key, key.equals(ALLOW_HTTP) ? "true" : LOOPBACK);
      }
    }
    return relaxed;
  }

  /** The banner line: what was relaxed and how to turn it off; null when nothing was. */
  static String banner(Map<String, String> relaxed) {
    if (relaxed.isEmpty()) {
      return null;
    }
    StringBuilder what = new StringBuilder("development mode: ");
    if (relaxed.containsKey(ALLOW_HTTP)) {
      what.append("http allowed");
    }
    if (relaxed.containsKey(ALLOWLIST)) {
      what.append(relaxed.containsKey(ALLOW_HTTP) ? ", " : "").append("loopback allowed (").append(LOOPBACK)
          .append(")");
    }
    String vars = relaxed.keySet().stream().map(Config::envName).reduce((a, b) -> a + " and " + b).orElseThrow();
    return what + " because " + vars + (relaxed.size() > 1 ? " are" : " is")
        + " not set; production defaults are https only, no loopback";
  }

  private static Properties read(Path file) {
    Properties p = new Properties();
    if (file == null || !Files.isRegularFile(file)) {
      return p; // a missing file is reported by Config.load
    }
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(reader);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
