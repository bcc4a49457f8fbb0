package org.bulletin.bench;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What the delivery scenarios share: subscribing endpoints and collecting what the receiver got. */
final class Deliveries {
  private final Stack stack;
  private final NodeReceiver receiver;
  private final HttpClient http = HttpClient.newHttpClient();
  /** Every receipt drained so far (the receiver forgets what it hands over). */
  final List<NodeReceiver.Receipt> receipts = new ArrayList<>();

  Deliveries(Stack stack, NodeReceiver receiver) {
    this.stack = stack;
    this.receiver = receiver;
  }

  /** Subscribes {@code url}, with {@code filters} unless null. */
  void subscribe(String url, JsonObject filters) throws Exception {
    JsonObject body = new JsonObject().put("url", url);
    if (filters != null) {
      body.put("filters", filters);
    }
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(stack.url("/v1/subscriptions")))
        .header("Authorization", "Bearer " + Stack.TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 201) {
      throw new IllegalStateException("subscription refused: " + created.body());
    }
  }

  /** Adds what the receiver got since the last call to {@link #receipts}. */
  void collect() throws Exception {
    receipts.addAll(receiver.drain());
  }

  /**
   * Waits until {@code expected} distinct deliveries (endpoint and report) whose report id starts
   * with {@code prefix} have arrived, or nothing new arrived for {@code quietMillis}; returns the
   * distinct deliveries that arrived (fewer than expected means lost).
   */
  int await(String prefix, int expected, long quietMillis) throws Exception {
    Set<String> seen = new HashSet<>();
    long lastProgress = System.currentTimeMillis();
    int checked = 0;
    while (true) {
      receipts.addAll(receiver.drain());
      for (; checked < receipts.size(); checked++) {
        NodeReceiver.Receipt r = receipts.get(checked);
        if (r.reportId().startsWith(prefix) && seen.add(r.port() + r.path() + "|" + r.reportId())) {
          lastProgress = System.currentTimeMillis();
        }
      }
      if (seen.size() >= expected || System.currentTimeMillis() - lastProgress > quietMillis) {
        return seen.size();
      }
      Thread.sleep(100);
    }
  }

  /** The first receipt of each delivery (by webhook id) of reports whose id starts with {@code prefix}. */
  List<NodeReceiver.Receipt> firstReceipts(String prefix) {
    Set<String> ids = new HashSet<>();
    List<NodeReceiver.Receipt> out = new ArrayList<>();
    for (NodeReceiver.Receipt r : receipts) {
      if (r.reportId().startsWith(prefix) && ids.add(r.webhookId())) {
        out.add(r);
      }
    }
    return out;
  }
}
