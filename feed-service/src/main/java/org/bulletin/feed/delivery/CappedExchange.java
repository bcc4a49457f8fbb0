package org.bulletin.feed.delivery;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * One attempt's exchange with an endpoint under one total deadline and a byte limit: whatever
 * happens first (the deadline, the limit, an error, the end of the response) settles the result,
 * and the request is then reset so the connection is closed and nothing more is read. Every
 * method runs on the context thread of the attempt (the dispatcher's, or the WebSub verifier's), so
 * there is no locking. Public for the WebSub hub's verification of intent (a GET under the same bounds).
 */
public final class CappedExchange {
  private final Vertx vertx;
  private final Instant start;
  private final long t0 = System.nanoTime();
  private final Duration timeout;
  private final int maxBytes;
  private final Promise<AttemptResult> promise = Promise.promise();
  private final long timer;
  private String phase = "resolving the host";
  private HttpClientRequest request;
  private HttpClientResponse response;
  private byte[] kept = new byte[0];
  private long read;
  private boolean ended;

  public CappedExchange(Vertx vertx, Duration timeout, int maxBytes) {
    this.vertx = vertx;
    this.start = Instant.now();
    this.timeout = timeout;
    this.maxBytes = maxBytes;
    this.timer = vertx.setTimer(timeout.toMillis(), t -> fail("timeout: no complete response within "
        + Durations.format(timeout) + " (while " + phase + (read > 0 ? ", " + read + " bytes of body read" : "") + ")"));
  }

  public Instant start() {
    return start;
  }

  public Future<AttemptResult> result() {
    return promise.future();
  }

  public boolean settled() {
    return promise.future().isComplete();
  }

  public void phase(String phase) {
    this.phase = phase;
  }

  /** The request exists (connected): reset it at once if the attempt is already over. */
  public void requested(HttpClientRequest request) {
    this.request = request;
    // Failures reach the result through send()'s future; without a handler Vert.x logs a reset at ERROR.
    request.exceptionHandler(e -> { });
    if (settled()) {
      request.reset();
    } else {
      phase = "waiting for the response headers";
    }
  }

  /** Headers arrived: read the body up to the limit, then settle. */
  public void respond(HttpClientResponse response) {
    if (settled()) {
      return;
    }
    this.response = response;
    phase = "reading the response body";
    response.exceptionHandler(e -> fail("the connection failed while reading the response body: " + describe(e)));
    response.handler(this::chunk);
    response.endHandler(v -> {
      ended = true;
      settle(null);
    });
  }

  private void chunk(Buffer data) {
    if (settled()) {
      return;
    }
    int room = maxBytes - kept.length;
    if (room > 0) {
      int take = Math.min(room, data.length());
      int from = kept.length;
      kept = Arrays.copyOf(kept, from + take);
      data.getBytes(0, take, kept, from);
    }
    read += data.length();
    if (read > maxBytes) {
      settle("response body larger than " + maxBytes + " bytes: stopped reading and closed the connection");
    }
  }

  /** Settles with a failure; the status and snippet are kept if the headers came. */
  public void fail(String error) {
    if (response != null) {
      settle(error);
    } else {
      finish(new AttemptResult(start, null, latency(), null, error, null, false));
    }
  }

  /** Settles with what came before any request was made (the URL check). */
  public void refuse(String error, boolean refused) {
    finish(new AttemptResult(start, null, latency(), null, error, null, refused));
  }

  private void settle(String error) {
    int status = response.statusCode();
    if (error == null && status >= 300 && status < 400) {
      String location = response.getHeader("Location");
      error = "redirect (" + status + ") to " + (location == null ? "nowhere" : abbreviate(location)) + " not followed";
    }
    finish(new AttemptResult(start, status, latency(), snippet(kept), error,
        HttpDeliverer.retryAfter(response.getHeader("Retry-After")), false));
  }

  private void finish(AttemptResult result) {
    if (!promise.tryComplete(result)) {
      return;
    }
    vertx.cancelTimer(timer);
    if (request != null && !ended) {
      request.reset(); // HTTP/1.1: closes the connection, so an unread rest is never read
    }
  }

  private long latency() {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /** A failure as the attempt log shows it: what happened, in words, not only an exception name. */
  public static String describe(Throwable t) {
    String name = t.getClass().getSimpleName();
    String message = t.getMessage() == null ? "" : t.getMessage();
    if (t instanceof io.netty.handler.codec.TooLongFrameException) {
      return "invalid response: " + message + " (headers or status line over the limit)";
    }
    if (t instanceof java.net.ConnectException || name.contains("ConnectTimeout")) {
      return "could not connect: " + message;
    }
    if (t instanceof javax.net.ssl.SSLException) {
      return "TLS failed: " + message;
    }
    if (message.contains("Connection reset")) {
      return "connection reset by the endpoint";
    }
    if (name.equals("HttpClosedException") || message.contains("closed")) {
      return "the endpoint closed the connection before a complete response";
    }
    return name + ": " + message;
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }

  private static String snippet(byte[] bytes) {
    if (bytes.length == 0) {
      return null;
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    // A cut UTF-8 sequence at the end decodes to U+FFFD; drop it.
    return text.endsWith("\uFFFD") ? text.substring(0, text.length() - 1) : text;
  }
}
