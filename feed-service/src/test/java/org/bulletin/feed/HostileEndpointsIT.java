package org.bulletin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.bulletin.testkit.HostileServer;
import org.bulletin.testkit.HostileServer.Behaviour;
import org.bulletin.platform.config.Config;
import org.bulletin.testkit.KafkaBroker;
import org.bulletin.testkit.KafkaBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of hostile endpoint subscribed at once beside a healthy one: the healthy one gets
 * every event, each hostile one gets failed attempts with the reason in the attempt log, and the
 * service stays ready and keeps serving feeds; once in this JVM, once in a JVM of 256 MB heap.
 */
@ExtendWith(KafkaBrokerExtension.class)
class HostileEndpointsIT {
  private static final int EVENTS = 20;
  private static final Map<Behaviour, List<String>> EXPECTED_ERRORS = new EnumMap<>(Map.of(
      Behaviour.ENDLESS_BODY, List.of("response body larger than 4096 bytes"),
      Behaviour.DRIP_HEADERS, List.of("timeout: no complete response within 2s (while waiting for the response headers)"),
      Behaviour.DRIP_BODY, List.of("timeout: no complete response within 2s (while reading the response body"),
      Behaviour.SILENT, List.of("timeout: no complete response within 2s (while waiting for the response headers)"),
      Behaviour.MANY_HEADERS, List.of("invalid response: "),
      Behaviour.HUGE_HEADER, List.of("invalid response: "),
      Behaviour.RESET, List.of("connection reset by the endpoint", "the endpoint closed the connection"),
      Behaviour.REDIRECT, List.of("redirect (302) to ")));

  private FeedFixture support;
  private final List<HostileServer> servers = new ArrayList<>();

  @BeforeEach
  void start(KafkaBroker broker) {
    support = new FeedFixture(broker.bootstrapServers(), Map.of(
        "webhook.allow.http", "true",
        "webhook.allowlist", "127.0.0.1/32",
        "webhook.retry.schedule", "0s,300ms,300ms,1s",
        "webhook.retry.jitter", "0.1",
        "webhook.timeout", "2s",
        "webhook.response.max.bytes", "4096"));
  }

  @AfterEach
  void stop() {
    servers.forEach(HostileServer::close);
    support.close();
  }

  @Test
  void hostileEndpointsGetFailedAttemptsWhileAHealthyOneGetsEveryEventAndTheServiceStaysReady() throws Exception {
    run(support.startFeed().verticle.actualPort());
  }

  @Test
  void aFeedServiceWithA256MbHeapSurvivesEveryHostileEndpointAtOnce() throws Exception {
    int port = freePort();
    Process process = startFeedProcess(port, "target/hostile-feed-256m.log", Map.of(), "-Xmx256m",
        "-XX:+ExitOnOutOfMemoryError");
    try {
      run(port);
      assertThat(process.isAlive()).as("no OutOfMemoryError (the JVM exits on one)").isTrue();
    } finally {
      process.destroyForcibly().waitFor();
    }
  }

  @Test
  void aHostThatStopsResolvingIsRetriedAndDeliveredOnceItResolvesAgain(@TempDir Path dir) throws Exception {
    // The child JVM resolves through this file only, without caching, so the test can take the
    // name away; Vert.x (which does not read this file) never sees the name: it connects to the
    // address the guard vetted.
    Path hosts = dir.resolve("hosts");
    String resolving = "127.0.0.1 localhost\n127.0.0.1 partner.test\n";
    java.nio.file.Files.writeString(hosts, resolving);
    int port = freePort();
    // Enough attempts, a second apart, to outlast the outage: the test ends it only once it sees a
    // retrying attempt in the log, which can take several seconds on a loaded machine.
    Map<String, String> schedule = Map.of("webhook.retry.schedule", "0s" + ",1s".repeat(59));
    Process process = startFeedProcess(port, "target/hostile-feed-dns.log", schedule, "-Djdk.net.hosts.file=" + hosts,
        "-Dsun.net.inetaddr.ttl=0", "-Dsun.net.inetaddr.negative.ttl=0");
    try (var receiver = new HostileServer(Behaviour.HEALTHY)) {
      String id = subscribe(port, "http://partner.test:" + receiver.port() + "/hook");
      java.nio.file.Files.writeString(hosts, "127.0.0.1 localhost\n");
      String report = support.publishJson("dns-" + port);
      String path = "/v1/subscriptions/" + id + "/attempts";
      await("an attempt failed on DNS and is retried", Duration.ofSeconds(60), () ->
          api(port, HttpMethod.GET, path, null).bodyAsJsonObject().getJsonArray("items").stream()
              .map(JsonObject.class::cast).anyMatch(a -> "retrying".equals(a.getString("outcome"))
                  && a.getString("error").startsWith("the host partner.test does not resolve")));
      assertThat(receiver.requests()).isZero();
      java.nio.file.Files.writeString(hosts, resolving);
      await("delivered once the name resolves again", Duration.ofSeconds(60), () -> reportIds(receiver).contains(report));
      assertThat(receiver.hosts).first().isEqualTo("partner.test:" + receiver.port());
      await("the attempt log shows the delivery", Duration.ofSeconds(30), () -> "delivered".equals(
          api(port, HttpMethod.GET, path, null).bodyAsJsonObject().getJsonArray("items").getJsonObject(0).getString("outcome")));
      JsonArray attempts = api(port, HttpMethod.GET, path, null).bodyAsJsonObject().getJsonArray("items");
      assertThat(attempts.stream().map(a -> ((JsonObject) a).getString("outcome")).toList())
          .as("retried, never given up on").doesNotContain("failed");
    } finally {
      process.destroyForcibly().waitFor();
    }
  }

  /** FeedMain in a JVM of its own with these JVM options, ready to serve. */
  private Process startFeedProcess(int port, String log, Map<String, String> overrides, String... jvmOptions)
      throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(javaBin));
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), FeedMain.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(new java.io.File(log)));
    builder.environment().keySet().removeIf(k -> k.startsWith("BULLETIN_"));
    support.config.asMap().forEach((k, v) -> builder.environment().put(Config.envName(k), v));
    overrides.forEach((k, v) -> builder.environment().put(Config.envName(k), v));
    builder.environment().put("BULLETIN_FEED_HTTP_PORT", String.valueOf(port));
    Process process = builder.start();
    try {
      await("the feed process is ready (see " + log + ")", Duration.ofSeconds(60), () -> {
        assertThat(process.isAlive()).as("feed process runs (see " + log + ")").isTrue();
        try {
          return get(port, "/health/ready").statusCode() == 200;
        } catch (Exception notYet) {
          return false;
        }
      });
    } catch (AssertionError | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
    return process;
  }

  private static int freePort() throws Exception {
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void subscribingToAnIpv6TransitionFormOrAnUnresolvableHostIsRefusedWithTheReason() {
    int port = support.startFeed().verticle.actualPort();
    HttpResponse<Buffer> nat64 = api(port, HttpMethod.POST, "/v1/subscriptions",
        new JsonObject().put("url", "http://[64:ff9b::a9fe:a9fe]/hook"));
    assertThat(nat64.statusCode()).isEqualTo(400);
    assertThat(nat64.bodyAsJsonObject().getString("code")).isEqualTo("forbidden-address");
    assertThat(nat64.bodyAsJsonObject().getString("detail")).contains("NAT64 embedding 169.254.169.254");
    HttpResponse<Buffer> unknown = api(port, HttpMethod.POST, "/v1/subscriptions",
        new JsonObject().put("url", "http://no-such-host.invalid/hook"));
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.bodyAsJsonObject().getString("code")).isEqualTo("unresolvable-host");
    assertThat(unknown.bodyAsJsonObject().getString("detail")).startsWith("the host no-such-host.invalid does not resolve");
  }

  private void run(int port) throws Exception {
    HostileServer healthy = server(Behaviour.HEALTHY, null);
    HostileServer redirectTarget = server(Behaviour.HEALTHY, null);
    Map<Behaviour, String> ids = new EnumMap<>(Behaviour.class);
    for (Behaviour b : EXPECTED_ERRORS.keySet()) {
      HostileServer s = server(b, b == Behaviour.REDIRECT ? redirectTarget.url() : null);
      ids.put(b, subscribe(port, s.url()));
    }
    subscribe(port, healthy.url());

    Set<String> published = new HashSet<>();
    for (int i = 0; i < EVENTS; i++) {
      published.add(support.publishJson("hostile-" + i + "-" + port));
    }
    await("the healthy endpoint received all " + EVENTS + " events", Duration.ofSeconds(60), () -> {
      assertThat(get(port, "/health/ready").statusCode()).as("ready while hostile endpoints are attempted").isEqualTo(200);
      return reportIds(healthy).containsAll(published);
    });
    assertThat(get(port, "/feeds/reports.json").statusCode()).isEqualTo(200);

    for (Map.Entry<Behaviour, String> e : ids.entrySet()) {
      String path = "/v1/subscriptions/" + e.getValue() + "/attempts?limit=1000";
      await(e.getKey() + " has failed attempts in its log", Duration.ofSeconds(60),
          () -> !api(port, HttpMethod.GET, path, null).bodyAsJsonObject().getJsonArray("items").isEmpty());
      JsonArray attempts = api(port, HttpMethod.GET, path, null).bodyAsJsonObject().getJsonArray("items");
      System.out.println("hostile endpoint " + e.getKey() + ": " + attempts.size() + " attempts, errors "
          + attempts.stream().map(a -> ((JsonObject) a).getString("error"))
              .map(x -> x == null ? "none" : x.replaceAll("[0-9]+", "N"))
              .collect(Collectors.groupingBy(x -> x, java.util.TreeMap::new, Collectors.counting())));
      for (Object o : attempts) {
        JsonObject a = (JsonObject) o;
        assertThat(a.getString("outcome")).as(e.getKey() + ": " + a).isIn("retrying", "failed");
        // On a loaded machine the deadline may come first; that too is one failed attempt.
        assertThat(a.getString("error")).as(e.getKey() + ": " + a).isNotNull().satisfiesAnyOf(
            error -> assertThat(EXPECTED_ERRORS.get(e.getKey())).anyMatch(error::startsWith),
            error -> assertThat(error).startsWith("timeout: no complete response within 2s"));
        if (a.getString("responseSnippet") != null) {
          assertThat(a.getString("responseSnippet").length()).isLessThanOrEqualTo(4096);
        }
      }
    }
    assertThat(redirectTarget.requests()).as("redirects are never followed").isZero();
    HttpResponse<Buffer> ready = get(port, "/health/ready");
    assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(200);
    assertThat(ready.bodyAsJsonObject().getJsonObject("components").getJsonObject("webhooks").getString("status"))
        .isEqualTo("UP");
  }

  private HostileServer server(Behaviour behaviour, String redirectTo) throws Exception {
    HostileServer s = new HostileServer(behaviour, redirectTo);
    servers.add(s);
    return s;
  }

  private String subscribe(int port, String url) {
    HttpResponse<Buffer> r = api(port, HttpMethod.POST, "/v1/subscriptions", new JsonObject().put("url", url));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject().getString("id");
  }

  private static Set<String> reportIds(HostileServer receiver) {
    return receiver.bodies.stream().map(b -> new JsonObject(b).getJsonObject("data").getString("id"))
        .collect(Collectors.toSet());
  }

  private HttpResponse<Buffer> get(int port, String path) {
    return support.client.get(port, "127.0.0.1", path).send().await();
  }

  private HttpResponse<Buffer> api(int port, HttpMethod method, String path, JsonObject body) {
    var request = support.client.request(method, port, "127.0.0.1", path)
        .putHeader("Authorization", "Bearer " + FeedFixture.TOKEN);
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(200);
    }
  }
}
