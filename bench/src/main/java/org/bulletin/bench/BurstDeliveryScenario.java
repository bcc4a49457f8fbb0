package org.bulletin.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scenario 9: a burst of 2,000 events to 20 endpoints (40,000 deliveries) on one Node.js receiver
 * answering 200 at once: deliveries/s from the first event's publication to the last receipt,
 * beside the rate at which wrk (one thread, 32 connections) POSTs a webhook body the receiver got
 * (same size, same headers' shape) to the same receiver, in the same run. A warm-up of 100 events,
 * delivered and not counted, comes first.
 */
final class BurstDeliveryScenario {
  static final int ENDPOINTS = 20;

  private BurstDeliveryScenario() {}

  static List<Figure> run(Env env) throws Exception {
    int n = env.size(2_000, 20);
    List<Double> rate = new ArrayList<>();
    List<Double> limit = new ArrayList<>();
    List<Double> ratio = new ArrayList<>();
    List<Double> lost = new ArrayList<>();
    for (int run = 0; run < env.runs(); run++) {
      double[] r = once(env, n, run);
      rate.add(r[0]);
      limit.add(r[1]);
      ratio.add(r[0] / r[1]);
      lost.add(r[2]);
    }
    String s = "9. Burst webhooks (" + n + " events x " + ENDPOINTS + " endpoints, Node.js receiver)";
    Stats x = new Stats("x wrk", ratio);
    Stats l = new Stats("deliveries", lost);
    return List.of(
        new Figure(s, "deliveries/s", new Stats("deliveries/s", rate), null, null),
        new Figure(s, "wrk POST requests/s to the receiver (1 thread, 32 connections)", new Stats("req/s", limit),
            null, null),
        new Figure(s, "deliveries/s / wrk", x, ">= 0.3x", x.median() >= 0.3),
        new Figure(s, "deliveries lost", l, "0", l.max() == 0));
  }

  /** Deliveries/s, the wrk rate and the deliveries lost of one run. */
  private static double[] once(Env env, int n, int run) throws Exception {
    try (NodeReceiver receiver = new NodeReceiver(env.workDir(), ENDPOINTS);
        Stack stack = new Stack(env.bootstrap(), Map.of())) {
      stack.startFeed();
      Deliveries deliveries = new Deliveries(stack, receiver);
      for (int i = 0; i < ENDPOINTS; i++) {
        deliveries.subscribe(receiver.url(i, "/hook"), null);
      }
      int warm = env.size(100, 5);
      long t0;
      int arrived;
      try (EventSender sender = new EventSender(env.bootstrap(), stack.reportsTopic())) {
        for (int i = 0; i < warm; i++) {
          sender.send(EventSender.report("warm-" + run + "-" + i, 1500));
        }
        sender.flush();
        deliveries.await("warm-", warm * ENDPOINTS, 60_000);
        t0 = System.currentTimeMillis();
        for (int i = 0; i < n; i++) {
          sender.send(EventSender.report("burst-" + run + "-" + i, 1500));
        }
        sender.flush();
        arrived = deliveries.await("burst-", n * ENDPOINTS, 60_000);
      }
      long last = t0;
      for (NodeReceiver.Receipt r : deliveries.firstReceipts("burst-")) {
        last = Math.max(last, r.at());
      }
      double rate = arrived / ((last - t0) / 1000.0);
      double limit = wrk(env, receiver);
      receiver.drain(); // wrk's requests: not kept
      return new double[] {rate, limit, n * ENDPOINTS - arrived};
    }
  }

  private static double wrk(Env env, NodeReceiver receiver) throws Exception {
    String body = receiver.sample();
    Path script = env.workDir().resolve("webhook-post.lua");
    Files.writeString(script, String.join("\n",
        "wrk.method = \"POST\"",
        "wrk.headers[\"Content-Type\"] = \"application/json\"",
        "wrk.headers[\"webhook-id\"] = \"msg_00000000000000000000000000000000\"",
        "wrk.headers[\"webhook-timestamp\"] = \"1700000000\"",
        "wrk.headers[\"webhook-signature\"] = \"v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"",
        "wrk.body = [==[" + body + "]==]", ""));
    return Tools.wrk(receiver.url(0, "/hook"), 1, 32, env.seconds(5, 1), script, List.of()).rps();
  }
}
