package org.bulletin.feed.webhook;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** A partner endpoint on loopback that records every request and answers as told. */
final class TestReceiver implements AutoCloseable {
  /** What to answer the n-th request (1-based): a status, or {@link #SILENT} to never answer. */
  static final int SILENT = -1;

  record Received(String webhookId, String timestamp, String signature, String body, long atMillis,
      Map<String, List<String>> headers) {}

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger count = new AtomicInteger();

  TestReceiver(IntFunction<Integer> answer) {
    this(answer, Map.of());
  }

  /** @param responseHeaders sent with every answer, e.g. {@code Retry-After} */
  TestReceiver(IntFunction<Integer> answer, Map<String, String> responseHeaders) {
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      received.add(new Received(req.getHeader("webhook-id"), req.getHeader("webhook-timestamp"),
          req.getHeader("webhook-signature"), body.toString(), System.currentTimeMillis(), headers(req)));
      int status = answer.apply(count.incrementAndGet());
      if (status != SILENT) {
        responseHeaders.forEach(req.response()::putHeader);
        req.response().setStatusCode(status).end("answer " + status);
      }
    })).listen(0, "127.0.0.1").await();
  }

  static TestReceiver ok() {
    return new TestReceiver(n -> 200);
  }

  private static Map<String, List<String>> headers(HttpServerRequest req) {
    Map<String, List<String>> out = new java.util.HashMap<>();
    req.headers().forEach(e -> out.computeIfAbsent(e.getKey().toLowerCase(), k -> new ArrayList<>()).add(e.getValue()));
    return out;
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/hook";
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
