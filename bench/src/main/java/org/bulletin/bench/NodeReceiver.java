package org.bulletin.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The independent receiver of the delivery scenarios: a small Node.js HTTP server
 * ({@code receiver.js}) in a process of its own, so that receiving costs the service's JVM
 * nothing and the receipt time is taken by a clock outside it. Answers 200 at once; echoes a
 * WebSub verification's {@code hub.challenge}.
 */
final class NodeReceiver implements AutoCloseable {
  /** One request as the receiver saw it; {@code eventTime} and {@code at} are epoch millis. */
  record Receipt(int port, String path, String webhookId, String reportId, long eventTime, long at) {}

  private final Process process;
  private final int control;
  final List<Integer> ports = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  NodeReceiver(Path workDir, int servers) throws Exception {
    Path script = workDir.resolve("receiver.js");
    try (InputStream in = NodeReceiver.class.getResourceAsStream("receiver.js")) {
      Files.write(script, in.readAllBytes());
    }
    process = new ProcessBuilder("node", script.toString(), String.valueOf(servers))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
        .readLine();
    if (line == null) {
      throw new IllegalStateException("the Node.js receiver did not start (is node installed?)");
    }
    JsonNode started = new ObjectMapper().readTree(line);
    control = started.get("control").asInt();
    started.get("ports").forEach(p -> ports.add(p.asInt()));
  }

  static boolean available() {
    return Tools.installed("node");
  }

  String url(int server, String path) {
    return "http://127.0.0.1:" + ports.get(server) + path;
  }

  /** Every request recorded since the last call. */
  List<Receipt> drain() throws Exception {
    String text = get("/records");
    List<Receipt> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      out.add(new Receipt(Integer.parseInt(f[0]), f[1], f[2], f[3],
          f[4].equals("NaN") ? -1 : Long.parseLong(f[4]), Long.parseLong(f[5])));
    }
    return out;
  }

  /** How many requests were recorded since the last {@link #drain}. */
  int count() throws Exception {
    return Integer.parseInt(get("/count").trim());
  }

  /** How many WebSub verifications of intent (GETs with hub.challenge) it answered. */
  int verified() throws Exception {
    return Integer.parseInt(get("/verified").trim());
  }

  /** A webhook body it received (empty before the first). */
  String sample() throws Exception {
    return get("/sample");
  }

  private String get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + control + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Override
  public void close() throws Exception {
    process.getOutputStream().close(); // it exits when its standard input ends
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
