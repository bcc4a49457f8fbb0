package org.bulletin.platform.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Flat key/value configuration, read once at start from four layers, later ones winning:
 * built-in defaults, a properties file, {@code BULLETIN_*} environment variables, explicit
 * overrides (command-line flags, tests). Immutable; the typed getters name the key and its
 * environment variable in every error.
 */
public final class Config {
  public static final String ENV_PREFIX = "BULLETIN_";
  /** Environment variable naming the properties file. */
  public static final String CONFIG_FILE_ENV = "BULLETIN_CONFIG";
  private static final String DEFAULTS = "/org/bulletin/platform/bulletin-defaults.properties";
  private static final Pattern SECRET = Pattern.compile("(?i).*(token|secret|password|jaas|credential|key\\.password).*");

  private final Map<String, String> values;

  private Config(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
  }

  /**
   * Loads defaults, then {@code file} (or the file named by {@code BULLETIN_CONFIG}; none if both
   * are absent), then the environment, then {@code overrides}.
   */
  public static Config load(Path file, Map<String, String> env, Map<String, String> overrides) {
    Map<String, String> merged = new TreeMap<>(defaults());
    Path path = file != null ? file : env.containsKey(CONFIG_FILE_ENV) ? Path.of(env.get(CONFIG_FILE_ENV)) : null;
    if (path != null) {
      merged.putAll(readFile(path));
    }
    merged.putAll(envEntries(env));
    merged.putAll(overrides);
    return new Config(merged);
  }

  /** Defaults, the environment of this process and {@code overrides}. */
  public static Config fromProcessEnvironment(Map<String, String> overrides) {
    return load(null, System.getenv(), overrides);
  }

  public static Config of(Map<String, String> overrides) {
    return load(null, Map.of(), overrides);
  }

  /** The environment variable that sets {@code key}. */
  public static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  static Map<String, String> envEntries(Map<String, String> env) {
    Map<String, String> out = new TreeMap<>();
    env.forEach((name, value) -> {
      if (name.startsWith(ENV_PREFIX) && !name.equals(CONFIG_FILE_ENV) && name.length() > ENV_PREFIX.length()) {
        out.put(name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
      }
    });
    return out;
  }

  private static Map<String, String> defaults() {
    try (InputStream in = Config.class.getResourceAsStream(DEFAULTS)) {
      Properties p = new Properties();
      p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
      return toMap(p);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("built-in defaults missing", e);
    }
  }

  private static Map<String, String> readFile(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new ConfigException("configuration file " + path + " does not exist");
    }
    try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      Properties p = new Properties();
      p.load(r);
      return toMap(p);
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + path + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, String> toMap(Properties p) {
    Map<String, String> out = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k).trim()));
    return out;
  }

  /** A copy with {@code overrides} applied on top. */
  public Config with(Map<String, String> overrides) {
    Map<String, String> merged = new TreeMap<>(values);
    merged.putAll(overrides);
    return new Config(merged);
  }

  public String string(String key) {
    String value = values.get(key);
    if (value == null || value.isEmpty()) {
      throw new ConfigException(describe(key) + " must be set");
    }
    return value;
  }

  public String string(String key, String fallback) {
    String value = values.get(key);
    return value == null || value.isEmpty() ? fallback : value;
  }

  public int integer(String key, int min, int max) {
    String raw = string(key);
    try {
      int value = Integer.parseInt(raw);
      if (value < min || value > max) {
        throw new ConfigException(describe(key) + " must be between " + min + " and " + max + ", got " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigException(describe(key) + " must be a whole number, got '" + raw + "'");
    }
  }

  public long longValue(String key, long min, long max) {
    String raw = string(key);
    try {
      long value = Long.parseLong(raw);
      if (value < min || value > max) {
        throw new ConfigException(describe(key) + " must be between " + min + " and " + max + ", got " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigException(describe(key) + " must be a whole number, got '" + raw + "'");
    }
  }

  /** A comma-separated list; empty items are dropped. */
  public List<String> list(String key) {
    String raw = values.getOrDefault(key, "");
    return Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** Every {@code prefix*} key with the prefix removed, e.g. {@code kafka.} for the clients. */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> out = new TreeMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith(prefix) && !v.isEmpty()) {
        out.put(k.substring(prefix.length()), v);
      }
    });
    return Collections.unmodifiableMap(out);
  }

  /** Every key, for documentation and tests. */
  public Map<String, String> asMap() {
    return values;
  }

  public static boolean isSecret(String key) {
    return SECRET.matcher(key).matches();
  }

  private static String describe(String key) {
    return key + " (" + envName(key) + ")";
  }

  /** Every value, secrets masked: safe to log. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Config{");
    values.forEach((k, v) -> sb.append(k).append('=')
        .append(isSecret(k) && !v.isEmpty() ? "****" : v).append(", "));
    return sb.append('}').toString();
  }
}
