package org.bulletin.feed.delivery;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bulletin.platform.exec.BoundedExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one signed POST: resolves and checks the URL once (on the bounded DNS executor), then
 * connects to exactly that vetted address while the Host header, TLS SNI and certificate check
 * keep the URL's host name. One deadline covers everything (DNS, connect, TLS, headers, body); at
 * most {@code maxResponseBytes} of the body are read, then the connection is closed. Redirects are
 * never followed. {@link #attempt} must be called on the context thread of its dispatcher shard;
 * its future completes there.
 *
 * <p>Each shard has a deliverer (an HTTP client) of its own, used only from its context. Vert.x
 * (5.0) pools connections per client and server address; a new connection is opened on the event
 * loop of the context that asks for it, and a request prefers an idle connection of its own event
 * loop, taking one of another loop (whose events then hop threads) only when the pool is at its
 * size. One client per shard therefore keeps every connection, its I/O and its callbacks on the
 * shard's loop, and the pools' locks are not shared between shards.
 */
public final class HttpDeliverer {
  private static final Logger LOG = LoggerFactory.getLogger(HttpDeliverer.class);
  /** Status line and headers together; Netty refuses a response beyond this (thousands of headers). */
  static final int MAX_HEADER_BYTES = 8192;
  private final Vertx vertx;
  private final HttpClient client;
  private final UrlGuard guard;
  private final BoundedExecutor dns;
  private final Duration timeout;
  private final int maxResponseBytes;

  public HttpDeliverer(Vertx vertx, UrlGuard guard, BoundedExecutor dns, Duration timeout, int maxResponseBytes) {
    this(vertx, guard, dns, timeout, maxResponseBytes, null);
  }

  /** @param trust the certificates to trust instead of the JVM's (tests), or {@code null} */
  HttpDeliverer(Vertx vertx, UrlGuard guard, BoundedExecutor dns, Duration timeout, int maxResponseBytes,
      TrustOptions trust) {
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    HttpClientOptions options = new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_1_1)
        .setKeepAlive(true)
        // Shorter than common servers' idle timeouts (Node 5 s, nginx 75 s): a pooled connection
        // the endpoint already closed would fail an attempt it never saw.
        .setKeepAliveTimeout(4)
        .setVerifyHost(true)
        .setMaxHeaderSize(MAX_HEADER_BYTES)
        .setMaxInitialLineLength(2048)
        .setMaxChunkSize(8192)
        .setReceiveBufferSize(32 * 1024)
        .setConnectTimeout(millis)
        .setSslHandshakeTimeout(millis)
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    if (trust != null) {
      options.setTrustOptions(trust);
    }
    // Waiting for a pooled connection is bounded here as a backstop; the dispatcher's in-flight
    // limit per endpoint is what keeps it short.
    this.client = vertx.httpClientBuilder()
        .with(options)
        .with(new PoolOptions().setHttp1MaxSize(64).setMaxWaitQueueSize(1024))
        // The attempt records what went wrong; an endpoint must not be able to fill the log at ERROR.
        .withConnectHandler(conn -> conn.exceptionHandler(e -> LOG.debug("Webhook connection to {}: {}",
            conn.remoteAddress(), e.toString())))
        .build();
    this.vertx = vertx;
    this.guard = guard;
    this.dns = dns;
    this.timeout = timeout;
    this.maxResponseBytes = maxResponseBytes;
  }

  /** One attempt; never fails: every failure is a result with an error text. */
  public Future<AttemptResult> attempt(Context context, DeliveryTask task, Endpoint endpoint) {
    CappedExchange exchange = new CappedExchange(vertx, timeout, maxResponseBytes);
    dns.submit(context, () -> guard.check(endpoint.url())).onComplete(checked -> {
      if (exchange.settled()) {
        return; // the deadline passed while resolving
      }
      if (checked.failed()) {
        Throwable e = checked.cause();
        if (e instanceof HostUnresolvedException) {
          exchange.refuse(e.getMessage(), false); // may be a passing DNS failure: retried like any other
        } else if (e instanceof UrlRefusedException) {
          exchange.refuse(e.getMessage(), true);
        } else {
          exchange.refuse("could not check the URL: " + e.getMessage(), false);
        }
        return;
      }
      try {
        post(exchange, checked.result(), task, endpoint.signer());
      } catch (RuntimeException e) {
        // Every attempt must end as a result (an attempt record, a retry, at last a dead letter).
        exchange.refuse("could not send the request: " + e.getMessage(), false);
      }
    });
    return exchange.result();
  }

  private void post(CappedExchange exchange, VettedUrl url, DeliveryTask task, Signer signer) {
    Map<String, String> signature = signer.headers(task.messageId(), exchange.start(), task.payload());
    URI uri = url.uri();
    InetAddress pinned = url.addressFor(task.attempt());
    String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    long millis = timeout.toMillis();
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        // Connect to the vetted address (an IP literal: Vert.x makes it a resolved address, no
        // lookup); host and port stay the URL's, for SNI and the certificate check.
        .setServer(SocketAddress.inetSocketAddress(url.port(), pinned.getHostAddress()))
        .setHost(bare(uri.getHost()))
        .setPort(url.port())
        .setSsl("https".equalsIgnoreCase(uri.getScheme()))
        .setURI(path)
        .setFollowRedirects(false)
        .setConnectTimeout(millis)
        .setIdleTimeout(millis)
        .putHeader("Host", uri.getRawAuthority())
        .putHeader("User-Agent", "Bulletin-Webhooks/1.0")
        .putHeader("Content-Type", task.contentType());
    task.headers().forEach((name, values) -> {
      options.removeHeader(name); // the task's own values replace a default (e.g. User-Agent)
      values.forEach(v -> options.addHeader(name, v));
    });
    signature.forEach(options::putHeader);
    exchange.phase("connecting to " + pinned.getHostAddress());
    client.request(options)
        .compose(request -> {
          exchange.requested(request);
          return exchange.settled() ? Future.failedFuture("settled") : request.send(
              Buffer.buffer(task.payload()));
        })
        .onComplete(ar -> {
          if (ar.succeeded()) {
            exchange.respond(ar.result());
          } else if (!exchange.settled()) {
            exchange.fail(CappedExchange.describe(ar.cause()));
          }
        });
  }

  private static String bare(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  static Duration retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
    } catch (NumberFormatException e) {
      try {
        Instant when = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(Instant.now(), when);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (java.time.format.DateTimeParseException ignored) {
        return null;
      }
    }
  }
}
