package org.bulletin.feed.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.bulletin.testkit.HostileServer;
import org.bulletin.testkit.HostileServer.Behaviour;
import org.bulletin.platform.exec.BoundedExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HttpDeliverer against hostile endpoints: each misbehaviour is exactly one failed attempt with
 * a clear error, settled by the one deadline or the byte limit, and the connection is closed.
 */
class HttpDelivererTest {
  /** The deadline of the attempts that should meet it; the others get a long one, so load cannot decide. */
  private static final Duration TIMEOUT = Duration.ofMillis(1500);
  private static final Duration LONG = Duration.ofSeconds(20);
  private static final int MAX_BYTES = 4096;
  private static final String PARTNER = "hook.partner.test"; // resolves nowhere but in the guard below
  private static Vertx vertx;
  private static BoundedExecutor dns;
  private final List<AutoCloseable> servers = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    dns = new BoundedExecutor("test-dns", 2, 100);
  }

  @AfterAll
  static void stop() {
    dns.close();
    vertx.close().await();
  }

  @AfterEach
  void closeServers() throws Exception {
    for (AutoCloseable s : servers) {
      s.close();
    }
  }

  private static UrlGuard guard() {
    return new UrlGuard(true, List.of("127.0.0.1/32"), host -> host.equals(PARTNER)
        ? new InetAddress[] {InetAddress.getByAddress(PARTNER, new byte[] {127, 0, 0, 1})}
        : InetAddress.getAllByName(host));
  }

  private static HttpDeliverer deliverer() {
    return new HttpDeliverer(vertx, guard(), dns, LONG, MAX_BYTES);
  }

  private static HttpDeliverer withDeadline() {
    return withDeadline(TIMEOUT);
  }

  private static HttpDeliverer withDeadline(Duration deadline) {
    return new HttpDeliverer(vertx, guard(), dns, deadline, MAX_BYTES);
  }

  private HostileServer server(Behaviour behaviour) throws Exception {
    HostileServer server = new HostileServer(behaviour);
    servers.add(server);
    return server;
  }

  private static DeliveryTask task() {
    return Tasks.webhook("msg_1", "sub_1", "e1", "report.published", "r1", Instant.now(),
        "{\"type\":\"report.published\"}", 1, 0, 0, 0);
  }

  private static AttemptResult attempt(HttpDeliverer deliverer, String url) throws Exception {
    return attempt(deliverer, task(), new Endpoint("sub_1", url, true, null, false, 0,
        new StandardWebhooksSigner(List.of(new StandardWebhooksSigner.Secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", null)))));
  }

  private static AttemptResult attempt(HttpDeliverer deliverer, DeliveryTask task, Endpoint endpoint) throws Exception {
    Context context = vertx.getOrCreateContext();
    CompletableFuture<AttemptResult> result = new CompletableFuture<>();
    context.runOnContext(v -> deliverer.attempt(context, task, endpoint)
        .onComplete(ar -> {
          if (ar.succeeded()) {
            result.complete(ar.result());
          } else {
            result.completeExceptionally(ar.cause());
          }
        }));
    // The deadline settles every attempt; this only keeps a broken build from hanging.
    return result.get(LONG.toMillis() + 10_000, TimeUnit.MILLISECONDS);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static void assertOneFailedAttempt(AttemptResult r) {
    assertThat(r.succeeded()).as(r.toString()).isFalse();
    assertThat(r.refused()).isFalse();
  }

  /** Settled by the deadline: not before it, and not whenever the server pleases (timers may run late under load). */
  private static void assertSettledByTheDeadline(AttemptResult r) {
    assertSettledByTheDeadline(r, TIMEOUT);
  }

  private static void assertSettledByTheDeadline(AttemptResult r, Duration deadline) {
    assertOneFailedAttempt(r);
    assertThat(r.latencyMs()).isGreaterThanOrEqualTo(deadline.toMillis() - 50).isLessThan(deadline.toMillis() + 8000);
  }

  @Test
  void aHealthyEndpointIsDeliveredAndItsBodyKept() throws Exception {
    HostileServer healthy = server(Behaviour.HEALTHY);
    HttpDeliverer deliverer = deliverer();
    AttemptResult first = attempt(deliverer, healthy.url());
    AttemptResult second = attempt(deliverer, healthy.url());
    assertThat(first.succeeded()).as(first.toString()).isTrue();
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.snippet()).isEqualTo("ok");
    assertThat(first.error()).isNull();
    assertThat(second.succeeded()).isTrue();
    assertThat(healthy.requests()).isEqualTo(2);
  }

  @Test
  void anEndlessBodyIsOneFailedAttemptCutAtTheByteLimit() throws Exception {
    HostileServer endless = server(Behaviour.ENDLESS_BODY);
    AttemptResult r = attempt(deliverer(), endless.url());
    assertOneFailedAttempt(r);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.error()).isEqualTo("response body larger than 4096 bytes: stopped reading and closed the connection");
    assertThat(r.snippet()).hasSize(MAX_BYTES).matches("x+");
    await("the server sees the connection closed", () -> endless.closedByClient() == 1);
  }

  @Test
  void headersDrippedAtOneBytePerSecondFailAtTheDeadline() throws Exception {
    HostileServer drip = server(Behaviour.DRIP_HEADERS);
    AttemptResult r = attempt(withDeadline(), drip.url());
    assertSettledByTheDeadline(r);
    assertThat(r.status()).isNull();
    assertThat(r.error()).isEqualTo("timeout: no complete response within 1500ms (while waiting for the response headers)");
    await("the server sees the connection closed", () -> drip.closedByClient() == 1);
  }

  @Test
  void aBodyDrippedAtOneBytePerSecondFailsAtTheDeadlineThoughDataKeepsComing() throws Exception {
    HostileServer drip = server(Behaviour.DRIP_BODY);
    // Long enough for the headers to come even on a loaded machine; the drip then runs into it.
    Duration deadline = Duration.ofSeconds(4);
    AttemptResult r = attempt(withDeadline(deadline), drip.url());
    assertSettledByTheDeadline(r, deadline);
    assertThat(r.status()).as("the headers came").isEqualTo(200);
    assertThat(r.error()).startsWith("timeout: no complete response within 4s (while reading the response body");
    await("the server sees the connection closed", () -> drip.closedByClient() == 1);
  }

  @Test
  void anEndpointThatNeverAnswersFailsAtTheDeadline() throws Exception {
    HostileServer silent = server(Behaviour.SILENT);
    AttemptResult r = attempt(withDeadline(), silent.url());
    assertSettledByTheDeadline(r);
    assertThat(r.error()).isEqualTo("timeout: no complete response within 1500ms (while waiting for the response headers)");
    await("the server sees the connection closed", () -> silent.closedByClient() == 1);
  }

  @Test
  void tenThousandResponseHeadersAreRefusedAtTheHeaderLimit() throws Exception {
    HostileServer flood = server(Behaviour.MANY_HEADERS);
    AttemptResult r = attempt(deliverer(), flood.url());
    assertOneFailedAttempt(r);
    assertThat(r.status()).isNull();
    assertThat(r.error()).startsWith("invalid response: ").contains("8192");
  }

  @Test
  void aHugeResponseHeaderIsRefusedAtTheHeaderLimit() throws Exception {
    HostileServer huge = server(Behaviour.HUGE_HEADER);
    AttemptResult r = attempt(deliverer(), huge.url());
    assertOneFailedAttempt(r);
    assertThat(r.error()).startsWith("invalid response: ").contains("8192");
  }

  @Test
  void aConnectionResetIsOneFailedAttempt() throws Exception {
    HostileServer reset = server(Behaviour.RESET);
    AttemptResult r = attempt(deliverer(), reset.url());
    assertOneFailedAttempt(r);
    assertThat(r.status()).isNull();
    assertThat(r.error()).isIn("connection reset by the endpoint",
        "the endpoint closed the connection before a complete response");
  }

  @Test
  void aRedirectIsAFailedAttemptAndNeverFollowed() throws Exception {
    HostileServer target = server(Behaviour.HEALTHY);
    HostileServer redirect = new HostileServer(Behaviour.REDIRECT, target.url());
    servers.add(redirect);
    AttemptResult r = attempt(deliverer(), redirect.url());
    assertOneFailedAttempt(r);
    assertThat(r.status()).isEqualTo(302);
    assertThat(r.error()).isEqualTo("redirect (302) to " + target.url() + " not followed");
    Thread.sleep(200); // a followed redirect would have arrived by now
    assertThat(target.requests()).isZero();
  }

  @Test
  void aRefusedConnectionIsOneFailedAttempt() throws Exception {
    int port;
    try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    AttemptResult r = attempt(deliverer(), "http://127.0.0.1:" + port + "/hook");
    assertOneFailedAttempt(r);
    assertThat(r.error()).startsWith("could not connect");
  }

  @Test
  void aForbiddenAddressIsRefusedWithoutARequest() throws Exception {
    AttemptResult r = attempt(deliverer(), "http://10.0.0.1/hook");
    assertThat(r.refused()).isTrue();
    assertThat(r.error()).contains("10.0.0.1, a private address");
  }

  @Test
  void aPortNoSocketCanUseIsRefusedAsAnAttemptNotThrown() throws Exception {
    AttemptResult r = attempt(deliverer(), "http://127.0.0.1:65536/hook");
    assertThat(r.refused()).isTrue();
    assertThat(r.error()).contains("port");
  }

  @Test
  void aRequestThatCannotBeBuiltIsOneFailedAttemptNotAnException() throws Exception {
    Endpoint broken = new Endpoint("sub_1", "http://127.0.0.1:9/hook", true, null, false, 0, (id, at, body) -> {
      throw new IllegalStateException("signer broke");
    });
    AttemptResult r = attempt(deliverer(), task(), broken);
    assertThat(r.succeeded()).isFalse();
    assertThat(r.refused()).isFalse();
    assertThat(r.error()).isEqualTo("could not send the request: signer broke");
  }

  @Test
  void anUnresolvableHostIsARetryableFailedAttemptNotARefusal() throws Exception {
    UrlGuard failingDns = new UrlGuard(true, List.of(), host -> {
      throw new UnknownHostException("Temporary failure in name resolution");
    });
    AttemptResult r = attempt(new HttpDeliverer(vertx, failingDns, dns, LONG, MAX_BYTES), "http://partner.example/");
    assertThat(r.refused()).isFalse();
    assertThat(r.succeeded()).isFalse();
    assertThat(r.error()).isEqualTo("the host partner.example does not resolve (Temporary failure in name resolution)");
  }

  @Test
  void anyPayloadIsPostedWithItsContentTypeExtraHeadersAndItsSignersHeaders() throws Exception {
    CompletableFuture<io.vertx.core.http.HttpServerRequest> seen = new CompletableFuture<>();
    CompletableFuture<byte[]> body = new CompletableFuture<>();
    HttpServer server = vertx.createHttpServer().requestHandler(req -> {
      seen.complete(req);
      req.body().onSuccess(b -> {
        body.complete(b.getBytes());
        req.response().setStatusCode(204).end();
      });
    });
    server.listen(0, "127.0.0.1").await();
    servers.add(() -> server.close().await());
    byte[] atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>\u00e9</title></feed>"
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    DeliveryTask task = DeliveryTask.first("websub", "ws_1", "m-1", java.util.Map.of(), Instant.now(),
        "application/atom+xml", java.util.Map.of("Link", List.of("<https://h.example/hub>; rel=\"hub\"",
            "<https://h.example/feed.atom>; rel=\"self\"")), atom, 0, -1, -1);
    Endpoint endpoint = new Endpoint("ws_1", "http://127.0.0.1:" + server.actualPort() + "/cb?x=1", true, null, false,
        0, new HubSignatureSigner("s3cret"));

    AttemptResult r = attempt(deliverer(), task, endpoint);

    assertThat(r.succeeded()).as(r.toString()).isTrue();
    var req = seen.get(10, TimeUnit.SECONDS);
    assertThat(req.uri()).isEqualTo("/cb?x=1");
    assertThat(req.getHeader("Content-Type")).isEqualTo("application/atom+xml");
    assertThat(req.headers().getAll("Link")).containsExactly("<https://h.example/hub>; rel=\"hub\"",
        "<https://h.example/feed.atom>; rel=\"self\"");
    assertThat(req.getHeader("X-Hub-Signature")).isEqualTo(new HubSignatureSigner("s3cret")
        .headers("m-1", Instant.now(), atom).get("X-Hub-Signature"));
    assertThat(req.getHeader("webhook-signature")).isNull();
    assertThat(body.get(10, TimeUnit.SECONDS)).isEqualTo(atom);
  }

  @Test
  void connectsToTheVettedAddressAndKeepsTheHostHeader() throws Exception {
    HostileServer healthy = server(Behaviour.HEALTHY);
    // hook.partner.test exists only in the guard's resolver: a second lookup would fail.
    AttemptResult r = attempt(deliverer(), "http://" + PARTNER + ":" + healthy.port() + "/hook?x=1");
    assertThat(r.succeeded()).as(r.toString()).isTrue();
    assertThat(healthy.hosts).containsExactly(PARTNER + ":" + healthy.port());
  }

  @Test
  void overTlsTheVettedAddressIsReachedWithTheHostNameForSniHostAndCertificate(@TempDir Path dir) throws Exception {
    Path keystore = dir.resolve("partner.p12");
    Path cert = dir.resolve("partner.pem");
    keytool("-genkeypair", "-alias", "partner", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + PARTNER,
        "-ext", "SAN=dns:" + PARTNER, "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
        "-storepass", "changeit", "-keypass", "changeit");
    keytool("-exportcert", "-rfc", "-alias", "partner", "-keystore", keystore.toString(), "-storepass", "changeit",
        "-file", cert.toString());
    List<String> seen = new CopyOnWriteArrayList<>();
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setSni(true)
            .setKeyCertOptions(new PfxOptions().setPath(keystore.toString()).setPassword("changeit")))
        .requestHandler(req -> req.body().onSuccess(b -> {
          seen.add("sni=" + req.connection().indicatedServerName() + " host=" + req.getHeader("Host")
              + " local=" + req.connection().localAddress().hostAddress());
          req.response().end("ok");
        }))
        .listen(0, "127.0.0.1").await();
    servers.add(() -> server.close().await());
    HttpDeliverer tls = new HttpDeliverer(vertx, guard(), dns, LONG, MAX_BYTES,
        new PemTrustOptions().addCertPath(cert.toString()));

    AttemptResult r = attempt(tls, "https://" + PARTNER + ":" + server.actualPort() + "/hook");
    assertThat(r.succeeded()).as(r.toString()).isTrue();
    assertThat(seen).containsExactly("sni=" + PARTNER + " host=" + PARTNER + ":" + server.actualPort()
        + " local=127.0.0.1");

    // The certificate is checked against the URL's host name, not the pinned address.
    UrlGuard otherName = new UrlGuard(false, List.of("127.0.0.1/32"),
        host -> new InetAddress[] {InetAddress.getByAddress(new byte[] {127, 0, 0, 1})});
    AttemptResult mismatch = attempt(new HttpDeliverer(vertx, otherName, dns, LONG, MAX_BYTES,
        new PemTrustOptions().addCertPath(cert.toString())), "https://other.partner.test:" + server.actualPort() + "/");
    assertThat(mismatch.succeeded()).isFalse();
    assertThat(mismatch.error()).startsWith("TLS failed");
    assertThat(seen).hasSize(1);
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
  }
}
