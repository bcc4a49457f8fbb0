package org.bulletin.platform.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bulletin.platform.http.ProblemFailureHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiAuthHandlerTest {
  private final CredentialStore store = new CredentialStore();
  private final AtomicBoolean loaded = new AtomicBoolean(true);
  private Vertx vertx;
  private HttpServer server;
  private WebClient client;
  private ApiKey.Issued partnerKey;
  private final java.util.concurrent.atomic.AtomicBoolean readerHealthy = new java.util.concurrent.atomic.AtomicBoolean(true);
  private ApiKey.Issued publisherKey;

  @BeforeEach
  void start() {
    Instant now = Instant.now();
    Partner p = new Partner("prt_1", "A", true, now, now);
    store.apply(CredentialCodec.recordKey(p), CredentialCodec.encode(p));
    partnerKey = ApiKey.issue(KeyKind.PARTNER, "prt_1", now);
    publisherKey = ApiKey.issue(KeyKind.PUBLISHER, null, now);
    for (ApiKey k : List.of(partnerKey.key(), publisherKey.key())) {
      store.apply(CredentialCodec.recordKey(k), CredentialCodec.encode(k));
    }
    store.loadedWhen(loaded::get);
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    RateLimiter limiter = new RateLimiter(1, 2, 100);
    router.route("/partners-and-admins").handler(new ApiAuthHandler(List.of("admin-1", "admin-2"), store,
        new RateLimiter(0, 1, 100), Set.of(Principal.Kind.ADMIN, Principal.Kind.PARTNER), readerHealthy::get))
        .handler(ctx -> {
          Principal who = Principal.of(ctx);
          ctx.end(who.kind().wireName() + ":" + who.keyId() + ":" + who.partnerId());
        });
    router.route("/limited").handler(new ApiAuthHandler(List.of("admin-1"), store, limiter,
        Set.of(Principal.Kind.ADMIN), readerHealthy::get)).handler(ctx -> ctx.end("in"));
    ProblemFailureHandler.install(router);
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private HttpResponse<Buffer> get(String path, String bearer) {
    return client.get(server.actualPort(), "127.0.0.1", path).putHeader("Authorization", "Bearer " + bearer).send()
        .await();
  }

  @Test
  void eachKindOfCredentialBecomesItsPrincipal() {
    assertThat(get("/partners-and-admins", "admin-2").bodyAsString()).isEqualTo("admin:token-2:null");
    assertThat(get("/partners-and-admins", partnerKey.secret()).bodyAsString())
        .isEqualTo("partner:" + partnerKey.key().id() + ":prt_1");
  }

  @Test
  void aKindTheRouteDoesNotAdmitIsForbiddenAndAnUnknownOrRevokedKeyUnauthorized() {
    HttpResponse<Buffer> publisher = get("/partners-and-admins", publisherKey.secret());
    assertThat(publisher.statusCode()).isEqualTo(403);
    assertThat(publisher.bodyAsJsonObject().getString("code")).isEqualTo("forbidden");
    assertThat(get("/partners-and-admins", "bltn_prt_unknown").statusCode()).isEqualTo(401);
    ApiKey revoked = partnerKey.key().revoke(Instant.now());
    store.apply(CredentialCodec.recordKey(revoked), CredentialCodec.encode(revoked));
    HttpResponse<Buffer> r = get("/partners-and-admins", partnerKey.secret());
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.bodyAsString()).doesNotContain(partnerKey.secret()).doesNotContain(partnerKey.key().id());
  }

  @Test
  void whileCredentialsLoadAnIssuedKeyIsAskedToRetryButAnAdminTokenWorks() {
    loaded.set(false);
    HttpResponse<Buffer> r = get("/partners-and-admins", partnerKey.secret());
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.getHeader("Retry-After")).isEqualTo("2");
    assertThat(get("/partners-and-admins", "admin-1").statusCode()).isEqualTo(200);
  }

  @Test
  void beyondItsRateACredentialGets429WithRetryAfter() {
    assertThat(get("/limited", "admin-1").statusCode()).isEqualTo(200);
    assertThat(get("/limited", "admin-1").statusCode()).isEqualTo(200);
    HttpResponse<Buffer> r = get("/limited", "admin-1");
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.bodyAsJsonObject().getString("code")).isEqualTo("rate-limited");
    assertThat(r.getHeader("Retry-After")).isEqualTo("1");
  }

  @Test
  void issuedKeysGet503WhileTheCredentialsReaderIsUnhealthyButAdminTokensStillWork() {
    readerHealthy.set(false);
    HttpResponse<Buffer> partner = get("/partners-and-admins", partnerKey.secret());
    assertThat(partner.statusCode()).as("a revocation could be missed: fail closed").isEqualTo(503);
    assertThat(partner.getHeader("Retry-After")).isNotNull();
    assertThat(partner.bodyAsJsonObject().getString("code")).isEqualTo("credentials-stale");
    assertThat(get("/partners-and-admins", "admin-1").statusCode()).isEqualTo(200);
    readerHealthy.set(true);
    assertThat(get("/partners-and-admins", partnerKey.secret()).statusCode()).isEqualTo(200);
  }
}
