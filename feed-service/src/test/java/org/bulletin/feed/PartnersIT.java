package org.bulletin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bulletin.feed.delivery.DeliveryJson;
import org.bulletin.feed.webhook.Subscription;
import org.bulletin.testkit.KafkaBroker;
import org.bulletin.testkit.KafkaBrokerExtension;
import org.bulletin.testkit.TopicReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Partners as tenants: scoped keys, publisher keys, revocation on every instance, secrets at rest, audit. */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartnersIT {
  private static final String ADMIN = "it-token";
  private FeedFixture support;
  private String bootstrap;

  @BeforeAll
  void start(KafkaBroker broker) {
    bootstrap = broker.bootstrapServers();
    support = new FeedFixture(bootstrap, Map.of("webhook.allow.http", "true", "webhook.allowlist", "127.0.0.1/32"));
  }

  @AfterAll
  void stop() {
    support.close();
  }

  private HttpResponse<Buffer> feed(String bearer, HttpMethod method, String path, JsonObject body) {
    return call(support.startFeedIfNone(), bearer, method, path, body);
  }

  private HttpResponse<Buffer> call(int port, String bearer, HttpMethod method, String path, JsonObject body) {
    var request = support.client().request(method, port, "127.0.0.1", path).putHeader("Authorization", "Bearer " + bearer);
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  private HttpResponse<Buffer> publish(String bearer, String id) {
    return support.client().request(HttpMethod.POST, support.producerPort(), "127.0.0.1", "/v1/reports")
        .putHeader("Authorization", "Bearer " + bearer).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(new JsonObject().put("id", id).put("title", "Report " + id)
            .put("publishedDate", "2024-05-01").put("body", new JsonArray().add("Body of " + id)).encode()))
        .await();
  }

  private JsonObject createPartner(String name) {
    HttpResponse<Buffer> r = feed(ADMIN, HttpMethod.POST, "/v1/partners", new JsonObject().put("name", name));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    assertThat(r.getHeader("Cache-Control")).as("the answer carries the API key").isEqualTo("no-store");
    return r.bodyAsJsonObject();
  }

  private JsonObject subscribe(String bearer, JsonObject extra) {
    JsonObject body = new JsonObject().put("url", "http://127.0.0.1:9/hook").mergeIn(extra);
    HttpResponse<Buffer> r = feed(bearer, HttpMethod.POST, "/v1/subscriptions", body);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  @Test
  void aPartnerIsCreatedWithAKeyShownOnceWithItsPrefixAndOnlyItsDigestIsStored() {
    JsonObject partner = createPartner("Zhengzhou Daily");
    assertThat(partner.getString("id")).startsWith("prt_");
    assertThat(partner.getString("name")).isEqualTo("Zhengzhou Daily");
    String key = partner.getString("apiKey");
    assertThat(key).startsWith("bltn_prt_").hasSizeGreaterThanOrEqualTo("bltn_prt_".length() + 43);

    JsonObject got = feed(ADMIN, HttpMethod.GET, "/v1/partners/" + partner.getString("id"), null).bodyAsJsonObject();
    assertThat(got.containsKey("apiKey")).isFalse();
    assertThat(feed(ADMIN, HttpMethod.GET, "/v1/partners", null).bodyAsString()).contains(partner.getString("id"))
        .doesNotContain(key);
    String keys = feed(ADMIN, HttpMethod.GET, "/v1/partners/" + partner.getString("id") + "/keys", null).bodyAsString();
    assertThat(keys).contains(partner.getString("keyId")).doesNotContain(key);
    List<ConsumerRecord<String, byte[]>> records = TopicReader.read(bootstrap, support.setting("topics.credentials"),
        2, Duration.ofSeconds(10));
    assertThat(records).isNotEmpty();
    records.forEach(rec -> assertThat(rec.value() == null ? "" : new String(rec.value(), StandardCharsets.UTF_8))
        .doesNotContain(key).doesNotContain(key.substring("bltn_prt_".length())));

    HttpResponse<Buffer> renamed = feed(ADMIN, HttpMethod.PATCH, "/v1/partners/" + partner.getString("id"),
        new JsonObject().put("name", "Zhengzhou Evening News"));
    assertThat(renamed.bodyAsJsonObject().getString("name")).isEqualTo("Zhengzhou Evening News");
    HttpResponse<Buffer> bad = feed(ADMIN, HttpMethod.POST, "/v1/partners", new JsonObject().put("name", ""));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(bad.bodyAsJsonObject().getString("code")).isEqualTo("invalid-request");
  }

  @Test
  void anotherPartnersSubscriptionIsNotFoundForEveryActionNeverForbidden() {
    String keyA = createPartner("Partner A").getString("apiKey");
    String keyB = createPartner("Partner B").getString("apiKey");
    JsonObject subA = subscribe(keyA, new JsonObject());
    String id = subA.getString("id");
    assertThat(feed(keyA, HttpMethod.GET, "/v1/subscriptions/" + id, null).statusCode()).isEqualTo(200);

    JsonObject none = new JsonObject();
    List<Object[]> calls = List.of(
        new Object[] {HttpMethod.GET, "/v1/subscriptions/" + id, null},
        new Object[] {HttpMethod.PATCH, "/v1/subscriptions/" + id, new JsonObject().put("enabled", false)},
        new Object[] {HttpMethod.PUT, "/v1/subscriptions/" + id, new JsonObject().put("url", "http://127.0.0.1:9/x")},
        new Object[] {HttpMethod.GET, "/v1/subscriptions/" + id + "/secret", null},
        new Object[] {HttpMethod.POST, "/v1/subscriptions/" + id + "/rotate-secret", none},
        new Object[] {HttpMethod.POST, "/v1/subscriptions/" + id + "/enable", none},
        new Object[] {HttpMethod.GET, "/v1/subscriptions/" + id + "/attempts", null},
        new Object[] {HttpMethod.POST, "/v1/subscriptions/" + id + "/resend", new JsonObject().put("eventId", "e")},
        new Object[] {HttpMethod.POST, "/v1/subscriptions/" + id + "/replay",
            new JsonObject().put("since", "2024-01-01T00:00:00Z")},
        new Object[] {HttpMethod.DELETE, "/v1/subscriptions/" + id, null});
    for (Object[] c : calls) {
      HttpResponse<Buffer> r = feed(keyB, (HttpMethod) c[0], (String) c[1], (JsonObject) c[2]);
      assertThat(r.statusCode()).as(c[0] + " " + c[1] + ": " + r.bodyAsString()).isEqualTo(404);
      assertThat(r.bodyAsJsonObject().getString("code")).isEqualTo("unknown-subscription");
    }
    assertThat(feed(keyB, HttpMethod.GET, "/v1/subscriptions", null).bodyAsString()).doesNotContain(id);
    assertThat(feed(keyA, HttpMethod.GET, "/v1/subscriptions", null).bodyAsString()).contains(id);
    assertThat(feed(ADMIN, HttpMethod.GET, "/v1/subscriptions", null).bodyAsString()).contains(id);
    // Untouched by B's attempts: still enabled, same secret.
    assertThat(feed(keyA, HttpMethod.GET, "/v1/subscriptions/" + id + "/secret", null).bodyAsJsonObject()
        .getString("secret")).isEqualTo(subA.getString("secret"));
    assertThat(feed(keyA, HttpMethod.DELETE, "/v1/subscriptions/" + id, null).statusCode()).isEqualTo(204);
  }

  @Test
  void aPartnerCannotCreateForAnotherPartnerAndAnAdminCreatesOnBehalfOfOne() {
    JsonObject a = createPartner("On behalf A");
    JsonObject b = createPartner("On behalf B");
    HttpResponse<Buffer> forged = feed(a.getString("apiKey"), HttpMethod.POST, "/v1/subscriptions",
        new JsonObject().put("url", "http://127.0.0.1:9/hook").put("partnerId", b.getString("id")));
    assertThat(forged.statusCode()).isEqualTo(400);

    JsonObject made = subscribe(ADMIN, new JsonObject().put("partnerId", b.getString("id")));
    assertThat(made.getString("partnerId")).isEqualTo(b.getString("id"));
    assertThat(feed(b.getString("apiKey"), HttpMethod.GET, "/v1/subscriptions/" + made.getString("id"), null)
        .statusCode()).isEqualTo(200);
    assertThat(feed(a.getString("apiKey"), HttpMethod.GET, "/v1/subscriptions/" + made.getString("id"), null)
        .statusCode()).isEqualTo(404);
    assertThat(feed(ADMIN, HttpMethod.GET, "/v1/subscriptions?partnerId=" + b.getString("id"), null).bodyAsString())
        .contains(made.getString("id"));

    HttpResponse<Buffer> unknown = feed(ADMIN, HttpMethod.POST, "/v1/subscriptions",
        new JsonObject().put("url", "http://127.0.0.1:9/hook").put("partnerId", "prt_nobody"));
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.bodyAsJsonObject().getString("code")).isEqualTo("unknown-partner");

    // A subscription of no partner (as every one made before partners existed) is the admins' only.
    JsonObject legacy = subscribe(ADMIN, new JsonObject());
    assertThat(legacy.containsKey("partnerId")).isFalse();
    assertThat(feed(a.getString("apiKey"), HttpMethod.GET, "/v1/subscriptions/" + legacy.getString("id"), null)
        .statusCode()).isEqualTo(404);
    assertThat(feed(ADMIN, HttpMethod.GET, "/v1/subscriptions/" + legacy.getString("id"), null).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aPartnerKeyIsForbiddenOnIngestPartnerAdministrationAndAudit() throws InterruptedException {
    JsonObject p = createPartner("Nosy partner");
    String key = p.getString("apiKey");
    // The producer learns of the key from the credentials topic; until then it is unknown (401).
    await("the producer knows the new key", () -> publish(key, "partner-may-not-publish").statusCode() != 401);
    HttpResponse<Buffer> ingest = publish(key, "partner-may-not-publish");
    assertThat(ingest.statusCode()).isEqualTo(403);
    assertThat(ingest.bodyAsJsonObject().getString("code")).isEqualTo("forbidden");
    assertThat(feed(key, HttpMethod.GET, "/v1/partners", null).statusCode()).isEqualTo(403);
    assertThat(feed(key, HttpMethod.POST, "/v1/partners", new JsonObject().put("name", "x")).statusCode()).isEqualTo(403);
    assertThat(feed(key, HttpMethod.POST, "/v1/partners/" + p.getString("id") + "/keys", null).statusCode())
        .isEqualTo(403);
    assertThat(feed(key, HttpMethod.POST, "/v1/publisher-keys", null).statusCode()).isEqualTo(403);
    assertThat(feed(key, HttpMethod.GET, "/v1/audit", null).statusCode()).isEqualTo(403);
    assertThat(feed("bltn_prt_" + "A".repeat(43), HttpMethod.GET, "/v1/subscriptions", null).statusCode())
        .isEqualTo(401);
  }

  @Test
  void aPublisherKeyPublishesCorrectsAndRetractsAndNothingElse() throws InterruptedException {
    HttpResponse<Buffer> issued = feed(ADMIN, HttpMethod.POST, "/v1/publisher-keys", null);
    assertThat(issued.statusCode()).isEqualTo(201);
    String key = issued.bodyAsJsonObject().getString("apiKey");
    assertThat(key).startsWith("bltn_pub_");
    // The producer learns of the key from the credentials topic.
    HttpResponse<Buffer> published = publish(key, "published-by-a-publisher-key");
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (published.statusCode() == 401 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      published = publish(key, "published-by-a-publisher-key");
    }
    assertThat(published.statusCode()).as(published.bodyAsString()).isEqualTo(202);
    HttpResponse<Buffer> retracted = support.client().request(HttpMethod.DELETE, support.producerPort(), "127.0.0.1",
        "/v1/reports/published-by-a-publisher-key").putHeader("Authorization", "Bearer " + key).send().await();
    assertThat(retracted.statusCode()).as(retracted.bodyAsString()).isEqualTo(202);

    assertThat(feed(key, HttpMethod.GET, "/v1/subscriptions", null).statusCode()).isEqualTo(403);
    assertThat(feed(key, HttpMethod.POST, "/v1/subscriptions", new JsonObject().put("url", "http://127.0.0.1:9/h"))
        .statusCode()).isEqualTo(403);
    assertThat(feed(key, HttpMethod.GET, "/v1/partners", null).statusCode()).isEqualTo(403);
  }

  @Test
  void aRevokedKeyOrDisabledPartnerIsRefusedByEveryInstanceWithinSeconds() throws Exception {
    FeedFixture.Feed second = support.startFeed();
    try {
      JsonObject p = createPartner("Revoked soon");
      String partnerKey = p.getString("apiKey");
      String publisherKey = feed(ADMIN, HttpMethod.POST, "/v1/publisher-keys", null).bodyAsJsonObject()
          .getString("apiKey");
      String publisherKeyId = feed(ADMIN, HttpMethod.GET, "/v1/publisher-keys", null).bodyAsJsonObject()
          .getJsonArray("items").stream().map(o -> (JsonObject) o).filter(k -> !k.getBoolean("revoked"))
          .reduce((x, y) -> y).orElseThrow().getString("id");
      await("the second instance knows the partner key",
          () -> call(second.port(), partnerKey, HttpMethod.GET, "/v1/subscriptions", null).statusCode() == 200);
      await("the producer knows the publisher key",
          () -> publish(publisherKey, "before-revocation").statusCode() == 202);

      assertThat(feed(ADMIN, HttpMethod.DELETE, "/v1/partners/" + p.getString("id") + "/keys/" + p.getString("keyId"),
          null).statusCode()).isEqualTo(204);
      assertThat(feed(ADMIN, HttpMethod.DELETE, "/v1/publisher-keys/" + publisherKeyId, null).statusCode())
          .isEqualTo(204);
      assertThat(feed(partnerKey, HttpMethod.GET, "/v1/subscriptions", null).statusCode()).isEqualTo(401);
      await("the second instance refuses the revoked partner key",
          () -> call(second.port(), partnerKey, HttpMethod.GET, "/v1/subscriptions", null).statusCode() == 401);
      await("the producer refuses the revoked publisher key",
          () -> publish(publisherKey, "after-revocation").statusCode() == 401);

      // A disabled partner's other keys stop as well, everywhere; enabling brings them back.
      JsonObject q = createPartner("Disabled soon");
      String other = feed(ADMIN, HttpMethod.POST, "/v1/partners/" + q.getString("id") + "/keys", null)
          .bodyAsJsonObject().getString("apiKey");
      await("the second instance knows the new key",
          () -> call(second.port(), other, HttpMethod.GET, "/v1/subscriptions", null).statusCode() == 200);
      feed(ADMIN, HttpMethod.PATCH, "/v1/partners/" + q.getString("id"), new JsonObject().put("enabled", false));
      await("the second instance refuses the disabled partner's key",
          () -> call(second.port(), other, HttpMethod.GET, "/v1/subscriptions", null).statusCode() == 401);
      feed(ADMIN, HttpMethod.PATCH, "/v1/partners/" + q.getString("id"), new JsonObject().put("enabled", true));
      await("the second instance accepts it again",
          () -> call(second.port(), other, HttpMethod.GET, "/v1/subscriptions", null).statusCode() == 200);

      // Deleting a partner deletes its subscriptions and refuses its keys.
      String sub = subscribe(other, new JsonObject()).getString("id");
      assertThat(feed(ADMIN, HttpMethod.DELETE, "/v1/partners/" + q.getString("id"), null).statusCode()).isEqualTo(204);
      assertThat(feed(ADMIN, HttpMethod.GET, "/v1/subscriptions/" + sub, null).statusCode()).isEqualTo(404);
      assertThat(feed(ADMIN, HttpMethod.GET, "/v1/partners/" + q.getString("id"), null).statusCode()).isEqualTo(404);
      await("the second instance refuses the deleted partner's key",
          () -> call(second.port(), other, HttpMethod.GET, "/v1/subscriptions", null).statusCode() == 401);
    } finally {
      second.stop();
    }
  }

  @Test
  void signingSecretsAreSealedInTheTopicAndOpenAfterTheKeyRotates() throws Exception {
    HttpResponse<Buffer> created = feed(ADMIN, HttpMethod.POST, "/v1/subscriptions",
        new JsonObject().put("url", "http://127.0.0.1:9/hook"));
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.getHeader("Cache-Control")).as("an answer with a secret").isEqualTo("no-store");
    JsonObject sub = created.bodyAsJsonObject();
    String secret = sub.getString("secret");
    String id = sub.getString("id");
    assertThat(feed(ADMIN, HttpMethod.GET, "/v1/subscriptions/" + id + "/secret", null).getHeader("Cache-Control"))
        .isEqualTo("no-store");
    String topic = support.setting("topics.subscriptions");
    List<ConsumerRecord<String, byte[]>> records = TopicReader.read(bootstrap, topic, 1, Duration.ofSeconds(10));
    String secretBody = secret.substring("whsec_".length());
    byte[] secretBytes = Base64.getDecoder().decode(secretBody);
    // What is checked: the subscription's one record stores its one secret sealed with the active
    // key k1, and neither the secret's text nor its raw bytes appear anywhere in any record's value.
    List<ConsumerRecord<String, byte[]>> ofSub = records.stream().filter(r -> id.equals(r.key())).toList();
    assertThat(ofSub).hasSize(1);
    JsonArray storedSecrets = new JsonObject(new String(ofSub.get(0).value(), StandardCharsets.UTF_8))
        .getJsonArray("secrets");
    assertThat(storedSecrets).hasSize(1);
    assertThat(storedSecrets.getJsonObject(0).getString("secret")).startsWith("enc:v1:k1:");
    for (ConsumerRecord<String, byte[]> r : records) {
      byte[] value = r.value() == null ? new byte[0] : r.value();
      assertThat(new String(value, StandardCharsets.UTF_8)).doesNotContain(secretBody);
      assertThat(indexOf(value, secretBytes)).as("raw secret bytes in " + r.key()).isEqualTo(-1);
    }

    // A clear-text record written before encryption existed is still read.
    String clear = "whsec_" + Base64.getEncoder().encodeToString("legacy-clear-text-secret-32bytes".getBytes(
        StandardCharsets.UTF_8));
    Instant now = Instant.now();
    Subscription legacy = new Subscription("sub_legacyclear", null, "http://127.0.0.1:9/legacy", "old", 
        new Subscription.Filters(null, null, null), true, null, false,
        List.of(new Subscription.SigningSecret(clear, null)), null, now, now);
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
        new StringSerializer(), new ByteArraySerializer())) {
      p.send(new ProducerRecord<>(topic, legacy.id(), DeliveryJson.write(legacy))).get();
    }

    // Rotate: an instance whose active key is k2 still opens k1's records, and reseals them under k2.
    byte[] k2 = new byte[32];
    new java.security.SecureRandom().nextBytes(k2);
    FeedFixture.Feed rotated = support.startFeed(Map.of(
        "secrets.keys", "k2:" + Base64.getEncoder().encodeToString(k2) + "," + FeedFixture.SECRETS_KEY,
        "secrets.active.key", "k2"));
    try {
      await("the rotated instance read the legacy record", () -> call(rotated.port(), ADMIN, HttpMethod.GET,
          "/v1/subscriptions/" + legacy.id(), null).statusCode() == 200);
      assertThat(call(rotated.port(), ADMIN, HttpMethod.GET, "/v1/subscriptions/" + id + "/secret", null)
          .bodyAsJsonObject().getString("secret")).isEqualTo(secret);
      assertThat(call(rotated.port(), ADMIN, HttpMethod.GET, "/v1/subscriptions/" + legacy.id() + "/secret", null)
          .bodyAsJsonObject().getString("secret")).isEqualTo(clear);
      HttpResponse<Buffer> resealed = call(rotated.port(), ADMIN, HttpMethod.POST, "/v1/secrets/reseal", null);
      assertThat(resealed.bodyAsJsonObject().getInteger("resealed")).isGreaterThanOrEqualTo(2);
      assertThat(resealed.bodyAsJsonObject().getJsonArray("exposedInClear").getList())
          .as("a secret once stored in clear must be rotated; a sealed one need not").contains(legacy.id())
          .doesNotContain(id);
      HttpResponse<Buffer> rotatedSecret = call(rotated.port(), ADMIN, HttpMethod.POST,
          "/v1/subscriptions/" + legacy.id() + "/rotate-secret", null);
      assertThat(rotatedSecret.statusCode()).isEqualTo(200);
      assertThat(rotatedSecret.getHeader("Cache-Control")).isEqualTo("no-store");
      assertThat(call(rotated.port(), ADMIN, HttpMethod.POST, "/v1/secrets/reseal", null).bodyAsJsonObject()
          .getInteger("resealed")).isZero();
    } finally {
      rotated.stop();
    }
    // An instance without k2 cannot open the resealed records, and says so in its readiness.
    await("the instance without k2 reports the records it cannot open", () -> {
      HttpResponse<Buffer> ready = support.client().get(support.startFeedIfNone(), "127.0.0.1", "/health/ready")
          .send().await();
      return ready.statusCode() == 503 && ready.bodyAsString().contains("secrets.keys does not list");
    });
    List<ConsumerRecord<String, byte[]>> after = TopicReader.read(bootstrap, topic, records.size() + 3,
        Duration.ofSeconds(10));
    for (String key : List.of(id, legacy.id())) {
      ConsumerRecord<String, byte[]> latest = after.stream().filter(r -> key.equals(r.key()))
          .reduce((x, y) -> y).orElseThrow();
      String value = new String(latest.value(), StandardCharsets.UTF_8);
      assertThat(value).contains("enc:v1:k2:").doesNotContain(clear.substring(6)).doesNotContain(secretBody);
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void resealingSecretsIsAuditedWithTheAdminWhoAskedForIt() throws Exception {
    Instant before = Instant.now().minusSeconds(1);
    HttpResponse<Buffer> resealed = feed(ADMIN, HttpMethod.POST, "/v1/secrets/reseal", null);
    assertThat(resealed.statusCode()).as(resealed.bodyAsString()).isEqualTo(200);
    JsonArray[] items = {new JsonArray()};
    await("secrets.reseal in the audit log", () -> {
      items[0] = feed(ADMIN, HttpMethod.GET, "/v1/audit?since=" + before, null).bodyAsJsonObject().getJsonArray("items");
      return items[0].stream().anyMatch(o -> "secrets.reseal".equals(((JsonObject) o).getString("action")));
    });
    JsonObject entry = items[0].stream().map(JsonObject.class::cast)
        .filter(o -> "secrets.reseal".equals(o.getString("action"))).findFirst().orElseThrow();
    assertThat(entry.getString("kind")).isEqualTo("admin");
    assertThat(entry.getString("keyId")).isEqualTo("token-1");
    assertThat(entry.getString("from")).isEqualTo("127.0.0.1");
    assertThat(entry.getString("outcome")).isEqualTo("ok");
  }

  @Test
  void probingAnotherPartnersIdsAndRefusedRequestsAreAuditedWithTheCallersPartner() throws Exception {
    Instant before = Instant.now().minusSeconds(1);
    String victimSub = subscribe(createPartner("Probed").getString("apiKey"), new JsonObject()).getString("id");
    JsonObject prober = createPartner("Prober");
    String key = prober.getString("apiKey");
    assertThat(feed(key, HttpMethod.PATCH, "/v1/subscriptions/" + victimSub, new JsonObject().put("enabled", false))
        .statusCode()).isEqualTo(404);
    assertThat(feed(key, HttpMethod.POST, "/v1/subscriptions/" + victimSub + "/rotate-secret", null).statusCode())
        .isEqualTo(404);
    assertThat(feed(key, HttpMethod.POST, "/v1/subscriptions", new JsonObject().put("url", 42)).statusCode())
        .isEqualTo(400);

    JsonArray items = new JsonArray();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (items.size() < 4 && System.nanoTime() < deadline) {
      HttpResponse<Buffer> r = feed(ADMIN, HttpMethod.GET, "/v1/audit?partnerId=" + prober.getString("id")
          + "&since=" + before, null);
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
      items = r.bodyAsJsonObject().getJsonArray("items");
      Thread.sleep(100);
    }
    assertThat(items.stream().map(o -> ((JsonObject) o).getString("action") + " " + ((JsonObject) o).getString("outcome")))
        .containsExactly("partner.create ok", "subscription.update unknown-subscription",
            "subscription.rotate-secret unknown-subscription", "subscription.create invalid-subscription");
    assertThat(items.getJsonObject(1).getString("target")).isEqualTo(victimSub);
    assertThat(items.getJsonObject(1).getString("kind")).isEqualTo("partner");
  }

  @Test
  void theAuditLogSaysWhoDidWhatWhenAndFromWhereFilteredByPartnerAndTime() throws Exception {
    Instant before = Instant.now().minusSeconds(1);
    JsonObject p = createPartner("Audited partner");
    String key = p.getString("apiKey");
    String sub = subscribe(key, new JsonObject()).getString("id");
    feed(key, HttpMethod.POST, "/v1/subscriptions/" + sub + "/rotate-secret", null);
    feed(createPartner("Other audited").getString("apiKey"), HttpMethod.GET, "/v1/subscriptions/" + sub, null);

    JsonArray items = new JsonArray();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (items.size() < 3 && System.nanoTime() < deadline) {
      HttpResponse<Buffer> r = feed(ADMIN, HttpMethod.GET, "/v1/audit?partnerId=" + p.getString("id") + "&since="
          + before, null);
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
      items = r.bodyAsJsonObject().getJsonArray("items");
      Thread.sleep(100);
    }
    assertThat(items.stream().map(o -> ((JsonObject) o).getString("action")))
        .containsExactly("partner.create", "subscription.create", "subscription.rotate-secret");
    JsonObject created = items.getJsonObject(1);
    assertThat(created.getString("kind")).isEqualTo("partner");
    assertThat(created.getString("keyId")).isEqualTo(p.getString("keyId"));
    assertThat(created.getString("partnerId")).isEqualTo(p.getString("id"));
    assertThat(created.getString("target")).isEqualTo(sub);
    assertThat(created.getString("from")).isEqualTo("127.0.0.1");
    assertThat(created.getString("outcome")).isEqualTo("ok");
    assertThat(items.getJsonObject(0).getString("kind")).isEqualTo("admin");
    assertThat(items.getJsonObject(0).getString("keyId")).isEqualTo("token-1");
    assertThat(items.encode()).doesNotContain(key);

    HttpResponse<Buffer> later = feed(ADMIN, HttpMethod.GET, "/v1/audit?partnerId=" + p.getString("id") + "&since="
        + Instant.now().plusSeconds(60) + "&until=" + Instant.now().plusSeconds(120), null);
    assertThat(later.bodyAsJsonObject().getJsonArray("items")).isEmpty();
    HttpResponse<Buffer> page = feed(ADMIN, HttpMethod.GET, "/v1/audit?limit=1&since=" + before, null);
    assertThat(page.bodyAsJsonObject().getJsonArray("items")).hasSize(1);
    assertThat(page.bodyAsJsonObject().getBoolean("truncated")).isTrue();
    assertThat(feed(ADMIN, HttpMethod.GET, "/v1/audit?limit=100000", null).statusCode()).isEqualTo(400);
  }

  @Test
  void aKeyOverItsRateLimitGets429WithRetryAfterWhileOtherKeysGoOn() {
    try (FeedFixture limited = new FeedFixture(bootstrap, Map.of("api.rate.limit.per.second", "1",
        "api.rate.limit.burst", "3"))) {
      int port = limited.startFeedIfNone();
      HttpResponse<Buffer> created = call(port, ADMIN, HttpMethod.POST, "/v1/partners",
          new JsonObject().put("name", "Hasty"));
      String key = created.bodyAsJsonObject().getString("apiKey");
      HttpResponse<Buffer> last = null;
      for (int i = 0; i < 10; i++) {
        last = call(port, key, HttpMethod.GET, "/v1/subscriptions", null);
        if (last.statusCode() == 429) {
          break;
        }
      }
      assertThat(last.statusCode()).isEqualTo(429);
      assertThat(last.getHeader("Content-Type")).startsWith("application/problem+json");
      assertThat(last.bodyAsJsonObject().getString("code")).isEqualTo("rate-limited");
      assertThat(Integer.parseInt(last.getHeader("Retry-After"))).isBetween(1, 2);
      // Another credential has a bucket of its own (the admin made one call so far).
      assertThat(call(port, ADMIN, HttpMethod.GET, "/v1/partners", null).statusCode()).isEqualTo(200);
      // The ingest API limits too.
      HttpResponse<Buffer> ingest = null;
      for (int i = 0; i < 10; i++) {
        ingest = limited.client().request(HttpMethod.DELETE, limited.producerPort(), "127.0.0.1", "/v1/reports/x")
            .putHeader("Authorization", "Bearer " + ADMIN).send().await();
        if (ingest.statusCode() == 429) {
          break;
        }
      }
      assertThat(ingest.statusCode()).isEqualTo(429);
      assertThat(ingest.getHeader("Retry-After")).isNotNull();
    }
  }
}
