package org.bulletin.feed.websub;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bulletin.feed.delivery.AttemptResult;
import org.bulletin.feed.delivery.CappedExchange;
import org.bulletin.feed.delivery.HostUnresolvedException;
import org.bulletin.feed.delivery.UrlGuard;
import org.bulletin.feed.delivery.UrlRefusedException;
import org.bulletin.feed.delivery.VettedUrl;
import org.bulletin.platform.exec.BoundedExecutor;

/**
 * The hub's GETs to a callback (WebSub 5.3 verification of intent, 5.2 denial): the callback's
 * own query string is kept and the hub's parameters appended. The URL passes the webhooks' guard
 * (resolved once on the bounded DNS executor), the request goes to exactly the vetted address, one
 * deadline covers it all and at most {@code maxBytes} of the body are read. Redirects are not
 * followed. Futures complete on the caller's context thread.
 */
public final class IntentVerifier implements AutoCloseable {
  private final Vertx vertx;
  private final HttpClient client;
  private final UrlGuard guard;
  private final BoundedExecutor dns;
  private final Duration timeout;
  private final int maxBytes;

  public IntentVerifier(Vertx vertx, UrlGuard guard, BoundedExecutor dns, Duration timeout, int maxBytes) {
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    this.client = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1).setKeepAlive(false)
            .setVerifyHost(true).setMaxHeaderSize(8192).setMaxInitialLineLength(2048)
            .setConnectTimeout(millis).setSslHandshakeTimeout(millis)
            .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS))
        .with(new PoolOptions().setHttp1MaxSize(64).setMaxWaitQueueSize(1024))
        .withConnectHandler(conn -> conn.exceptionHandler(e -> { })) // the result says what failed
        .build();
    this.vertx = vertx;
    this.guard = guard;
    this.dns = dns;
    this.timeout = timeout;
    this.maxBytes = maxBytes;
  }

  /** Resolves and checks a callback once (blocking work on the DNS executor). */
  public Future<VettedUrl> vet(Context context, String callback) {
    return dns.submit(context, () -> guard.check(callback));
  }

  /**
   * Asks the callback to confirm: verified only on 2xx with exactly {@code challenge} as the body.
   * Never fails; a failure is a result with its reason.
   */
  public Future<Outcome> confirm(VettedUrl url, HubRequest request, String challenge, Long leaseSeconds) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("hub.mode", request.mode().wire());
    params.put("hub.topic", request.topic());
    params.put("hub.challenge", challenge);
    if (leaseSeconds != null) {
      params.put("hub.lease_seconds", String.valueOf(leaseSeconds));
    }
    return get(url, params).map(r -> {
      if (r.error() != null) {
        return new Outcome(false, r.error());
      }
      if (!r.succeeded()) {
        return new Outcome(false, "the callback answered " + r.status());
      }
      return challenge.equals(r.snippet()) ? new Outcome(true, null)
          : new Outcome(false, "the callback's answer was not the challenge");
    });
  }

  /** Tells the callback its subscription was denied (WebSub 5.2); what it answers does not matter. */
  public Future<AttemptResult> deny(VettedUrl url, String topic, String reason) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("hub.mode", "denied");
    params.put("hub.topic", topic);
    params.put("hub.reason", reason);
    return get(url, params);
  }

  /** Whether a refusal of the guard is final (a forbidden address) or may pass (DNS). */
  public static boolean refusedForGood(Throwable e) {
    return e instanceof UrlRefusedException && !(e instanceof HostUnresolvedException);
  }

  private Future<AttemptResult> get(VettedUrl url, Map<String, String> params) {
    CappedExchange exchange = new CappedExchange(vertx, timeout, maxBytes);
    URI uri = url.uri();
    InetAddress pinned = url.addressFor(1);
    StringBuilder path = new StringBuilder(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/"
        : uri.getRawPath());
    path.append('?');
    if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
      path.append(uri.getRawQuery()).append('&');
    }
    boolean first = true;
    for (Map.Entry<String, String> p : params.entrySet()) {
      if (!first) {
        path.append('&');
      }
      first = false;
      path.append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
    }
    long millis = timeout.toMillis();
    String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
        : uri.getHost();
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setServer(SocketAddress.inetSocketAddress(url.port(), pinned.getHostAddress()))
        .setHost(host)
        .setPort(url.port())
        .setSsl("https".equalsIgnoreCase(uri.getScheme()))
        .setURI(path.toString())
        .setFollowRedirects(false)
        .setConnectTimeout(millis)
        .setIdleTimeout(millis)
        .putHeader("Host", uri.getRawAuthority())
        .putHeader("User-Agent", "Bulletin-WebSub/1.0");
    exchange.phase("connecting to " + pinned.getHostAddress());
    client.request(options)
        .compose(req -> {
          exchange.requested(req);
          return exchange.settled() ? Future.failedFuture("settled") : req.send();
        })
        .onComplete(ar -> {
          if (ar.succeeded()) {
            exchange.respond(ar.result());
          } else if (!exchange.settled()) {
            exchange.fail(CappedExchange.describe(ar.cause()));
          }
        });
    return exchange.result();
  }

  /** @param reason why it was not verified, or {@code null} */
  public record Outcome(boolean verified, String reason) {}

  @Override
  public void close() {
    client.close();
  }
}
