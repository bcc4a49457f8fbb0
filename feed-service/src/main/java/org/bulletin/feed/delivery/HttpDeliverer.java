package org.bulletin.feed.delivery;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.bulletin.platform.exec.BoundedExecutor;

/**
 * Makes one signed POST: checks the URL after DNS resolution (on the bounded DNS executor), signs
 * with every active secret, never follows redirects, gives up after the timeout. Callbacks run on
 * the dispatcher's context.
 */
public final class HttpDeliverer {
  private static final int SNIPPET = 4096;
  private final WebClient client;
  private final UrlGuard guard;
  private final BoundedExecutor dns;
  private final Duration timeout;

  public HttpDeliverer(Vertx vertx, UrlGuard guard, BoundedExecutor dns, Duration timeout) {
    this.client = WebClient.create(vertx, new WebClientOptions()
        .setFollowRedirects(false)
        .setUserAgent("Bulletin-Webhooks/1.0")
        .setConnectTimeout((int) Math.min(timeout.toMillis(), 10_000))
        .setKeepAlive(true), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64));
    this.guard = guard;
    this.dns = dns;
    this.timeout = timeout;
  }

  public Future<AttemptResult> attempt(Context context, DeliveryTask task, String url, List<String> secrets) {
    Instant start = Instant.now();
    return dns.submit(context, () -> guard.check(url)).transform(checked -> {
      if (checked.failed()) {
        String why = checked.cause() instanceof UrlRefusedException r ? r.getMessage()
            : "could not check the URL: " + checked.cause().getMessage();
        return Future.succeededFuture(new AttemptResult(start, null, 0, null, why, null,
            checked.cause() instanceof UrlRefusedException));
      }
      return post(checked.result(), task, secrets, start);
    });
  }

  private Future<AttemptResult> post(URI uri, DeliveryTask task, List<String> secrets, Instant start) {
    long timestamp = start.getEpochSecond();
    String signature = WebhookSigner.signature(secrets, task.webhookId(), timestamp, task.payload());
    long t0 = System.nanoTime();
    return client.requestAbs(io.vertx.core.http.HttpMethod.POST, uri.toString())
        .timeout(timeout.toMillis())
        .putHeader("Content-Type", "application/json")
        .putHeader("webhook-id", task.webhookId())
        .putHeader("webhook-timestamp", String.valueOf(timestamp))
        .putHeader("webhook-signature", signature)
        .sendBuffer(Buffer.buffer(task.payload().getBytes(StandardCharsets.UTF_8)))
        .transform(ar -> {
          long latency = (System.nanoTime() - t0) / 1_000_000;
          if (ar.failed()) {
            return Future.succeededFuture(new AttemptResult(start, null, latency, null, describe(ar.cause()), null, false));
          }
          HttpResponse<Buffer> r = ar.result();
          return Future.succeededFuture(new AttemptResult(start, r.statusCode(), latency, snippet(r.body()), null,
              retryAfter(r.getHeader("Retry-After")), false));
        });
  }

  private static String describe(Throwable t) {
    String name = t.getClass().getSimpleName();
    if (t instanceof java.util.concurrent.TimeoutException || name.contains("Timeout")) {
      return "timeout: no response within the request timeout";
    }
    return name + ": " + t.getMessage();
  }

  private static String snippet(Buffer body) {
    if (body == null) {
      return null;
    }
    byte[] bytes = body.getBytes();
    if (bytes.length <= SNIPPET) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    String text = new String(bytes, 0, SNIPPET, StandardCharsets.UTF_8);
    // A cut UTF-8 sequence decodes to U+FFFD; drop it.
    return text.endsWith("\uFFFD") ? text.substring(0, text.length() - 1) : text;
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
