package org.bulletin.feed.websub;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The independent subscriber (src/test/resources/websub/subscriber.py, Python standard library
 * only) in a child process: it answers verification and checks signatures with no code of the hub.
 * It exits when its standard input closes, so it never outlives the test JVM.
 */
final class PythonSubscriber implements AutoCloseable {
  private final Process process;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  PythonSubscriber() throws Exception {
    Path script = Path.of(Objects.requireNonNull(PythonSubscriber.class.getResource("/websub/subscriber.py")).toURI());
    process = new ProcessBuilder("python3", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("PORT ")) {
      process.destroyForcibly();
      throw new IllegalStateException("the subscriber did not start: " + line);
    }
    port = Integer.parseInt(line.substring(5).trim());
  }

  /** The callback URL of subscriber {@code name}, with {@code query} (may be empty) as its own query. */
  String callback(String name, String query) {
    return "http://127.0.0.1:" + port + "/cb/" + name + (query.isEmpty() ? "" : "?" + query);
  }

  void secret(String name, String secret) throws Exception {
    http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_secret/" + name))
        .PUT(HttpRequest.BodyPublishers.ofString(secret)).build(), HttpResponse.BodyHandlers.discarding());
  }

  /** Every request subscriber {@code name} got, oldest first. */
  List<JsonObject> seen(String name) {
    try {
      String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_log")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      return new JsonArray(body).stream().map(JsonObject.class::cast)
          .filter(o -> o.getString("name").equals(name)).toList();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  List<JsonObject> gets(String name) {
    return seen(name).stream().filter(o -> o.getString("method").equals("GET")).toList();
  }

  List<JsonObject> posts(String name) {
    return seen(name).stream().filter(o -> o.getString("method").equals("POST")).toList();
  }

  @Override
  public void close() throws Exception {
    process.getOutputStream().close();
    if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
