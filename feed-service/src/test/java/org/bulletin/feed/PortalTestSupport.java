package org.bulletin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bulletin.platform.auth.CredentialService;
import org.bulletin.platform.auth.CredentialStore;

/**
 * What the portal tests share: a fixture with the portal on, partners written to the credentials
 * topic as the partners API writes them, receivers on loopback, and a cookie-keeping HTTP session.
 */
final class PortalTestSupport implements AutoCloseable {
  static final String PORTAL_KEY = java.util.Base64.getEncoder()
      .encodeToString("portal-test-key-portal-test-key-0123456789".getBytes(StandardCharsets.US_ASCII));

  final FeedFixture fixture;
  private final KafkaProducer<String, byte[]> producer;
  final CredentialService credentials;
  final List<Receiver> receivers = new CopyOnWriteArrayList<>();

  PortalTestSupport(String bootstrap, Map<String, String> extra) {
    String suffix = UUID.randomUUID().toString();
    Map<String, String> config = new HashMap<>(Map.of(
        "portal.secrets", PORTAL_KEY,
        "topics.credentials", "it-credentials-" + suffix,
        "topics.audit", "it-audit-" + suffix,
        "webhook.allow.http", "true",
        "webhook.allowlist", "127.0.0.1/32",
        "webhook.retry.schedule", "0s,300ms,300ms",
        "webhook.timeout", "5s"));
    config.putAll(extra);
    fixture = new FeedFixture(bootstrap, config);
    producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    String topic = fixture.setting("topics.credentials");
    credentials = new CredentialService(new CredentialStore(), (key, value) -> {
      Promise<RecordMetadata> p = Promise.promise();
      producer.send(new ProducerRecord<>(topic, key, value), (m, e) -> {
        if (e != null) {
          p.fail(e);
        } else {
          p.complete(m);
        }
      });
      return p.future();
    }, Clock.systemUTC());
  }

  /** A partner as POST /v1/partners makes one; answers its id and API key. */
  String[] createPartner(String name) {
    CredentialService.CreatedPartner created = credentials.createPartner(name).await();
    return new String[] {created.partner().id(), created.key().secret()};
  }

  /** Asks for a portal link as an admin, waiting until the instance knows the partner. */
  JsonObject portalLink(FeedFixture.Feed feed, String partnerId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      HttpResponse<Buffer> r = call(feed, HttpMethod.POST, "/v1/partners/" + partnerId + "/portal-link",
          FeedFixture.TOKEN, null);
      if (r.statusCode() == 200) {
        return r.bodyAsJsonObject();
      }
      assertThat(System.nanoTime()).as("portal link within 15 s: " + r.bodyAsString()).isLessThan(deadline);
      FeedFixture.sleep(100);
    }
  }

  /** Waits until the instance knows a key just issued (its tailer reads the credentials topic). */
  void awaitKey(FeedFixture.Feed feed, String key) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (call(feed, HttpMethod.GET, "/v1/subscriptions", key, null).statusCode() != 200) {
      assertThat(System.nanoTime()).as("key known within 15 s").isLessThan(deadline);
      FeedFixture.sleep(100);
    }
  }

  /** The token of a portal link. */
  static String token(String url) {
    Matcher m = Pattern.compile("[?&]token=([^&]+)").matcher(url);
    assertThat(m.find()).as(url).isTrue();
    return java.net.URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
  }

  HttpResponse<Buffer> call(FeedFixture.Feed feed, HttpMethod method, String path, String bearer, JsonObject body) {
    var request = fixture.client().request(method, feed.verticle.actualPort(), "127.0.0.1", path);
    if (bearer != null) {
      request.putHeader("Authorization", "Bearer " + bearer);
    }
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  /** A subscription made with the partner's own key, through the API. */
  JsonObject subscribe(FeedFixture.Feed feed, String partnerKey, String url, String description) {
    awaitKey(feed, partnerKey);
    HttpResponse<Buffer> r = call(feed, HttpMethod.POST, "/v1/subscriptions", partnerKey,
        new JsonObject().put("url", url).put("description", description));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject();
  }

  Receiver receiver(int status) {
    Receiver r = new Receiver(fixture.vertx, status);
    receivers.add(r);
    return r;
  }

  /** A partner endpoint on loopback answering {@code status} to everything. */
  static final class Receiver {
    final AtomicInteger received = new AtomicInteger();
    final List<String> bodies = new CopyOnWriteArrayList<>();
    final HttpServer server;

    Receiver(Vertx vertx, int status) {
      server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
        received.incrementAndGet();
        bodies.add(b.toString());
        req.response().setStatusCode(status).end("answer " + status);
      })).listen(0, "127.0.0.1").await();
    }

    String url() {
      return "http://127.0.0.1:" + server.actualPort() + "/hook";
    }
  }

  /** A browser-like HTTP client of one portal instance that keeps the session cookie. */
  final class Browser {
    final FeedFixture.Feed feed;
    String cookie;

    Browser(FeedFixture.Feed feed) {
      this.feed = feed;
    }

    HttpResponse<Buffer> get(String path) {
      var r = fixture.client().request(HttpMethod.GET, feed.verticle.actualPort(), "127.0.0.1", path)
          .putHeader("Accept", "text/html").followRedirects(false);
      if (cookie != null) {
        r.putHeader("Cookie", cookie);
      }
      return keep(r.send().await());
    }

    HttpResponse<Buffer> post(String path, Map<String, String> form, String... headers) {
      var r = fixture.client().request(HttpMethod.POST, feed.verticle.actualPort(), "127.0.0.1", path)
          .putHeader("Accept", "text/html").followRedirects(false);
      if (cookie != null) {
        r.putHeader("Cookie", cookie);
      }
      for (int i = 0; i + 1 < headers.length; i += 2) {
        r.putHeader(headers[i], headers[i + 1]);
      }
      MultiMap m = MultiMap.caseInsensitiveMultiMap();
      form.forEach(m::add);
      return keep(r.sendForm(m).await());
    }

    private HttpResponse<Buffer> keep(HttpResponse<Buffer> r) {
      for (String c : r.cookies()) {
        if (c.startsWith("bulletin_portal=")) {
          String value = c.substring(0, c.indexOf(';') < 0 ? c.length() : c.indexOf(';'));
          cookie = value.equals("bulletin_portal=") ? null : value;
        }
      }
      return r;
    }

    /** Opens the portal link: the confirmation page, then its form. */
    HttpResponse<Buffer> open(String linkUrl) {
      String token = token(linkUrl);
      HttpResponse<Buffer> page = get("/portal/login?token=" + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8));
      assertThat(page.statusCode()).as(page.bodyAsString()).isEqualTo(200);
      return post("/portal/login", Map.of("token", token));
    }

    /** The CSRF token in the last page's forms. */
    String csrf() {
      HttpResponse<Buffer> home = get("/portal");
      Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(home.bodyAsString());
      assertThat(m.find()).as(home.bodyAsString()).isTrue();
      return m.group(1);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    fixture.close();
  }
}
