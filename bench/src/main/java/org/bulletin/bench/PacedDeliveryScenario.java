package org.bulletin.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scenario 8: 50 events/s for 20 s to 20 endpoints (one Node.js receiver, answering 200 at
 * once): time from each event's time (set when it is published) to its receipt, taken by the
 * receiver's clock; and how many deliveries never arrived. A warm-up of 100 events, delivered and
 * not counted, comes first in every run.
 */
final class PacedDeliveryScenario {
  static final int ENDPOINTS = 20;
  static final int PER_SECOND = 50;

  private PacedDeliveryScenario() {}

  static List<Figure> run(Env env) throws Exception {
    int seconds = env.seconds(20, 2);
    List<Double> p50 = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    List<Double> max = new ArrayList<>();
    List<Double> lost = new ArrayList<>();
    List<Double> fanOut50 = new ArrayList<>();
    List<Double> fanOut99 = new ArrayList<>();
    List<Double> delivery50 = new ArrayList<>();
    List<Double> delivery99 = new ArrayList<>();
    for (int run = 0; run < env.runs(); run++) {
      double[] r = once(env, seconds, run);
      p50.add(r[0]);
      p99.add(r[1]);
      max.add(r[2]);
      lost.add(r[3]);
      fanOut50.add(r[4]);
      fanOut99.add(r[5]);
      delivery50.add(r[6]);
      delivery99.add(r[7]);
    }
    String s = "8. Paced webhooks (" + PER_SECOND + " events/s for " + seconds + " s x " + ENDPOINTS
        + " endpoints, Node.js receiver)";
    Stats a = new Stats("ms", p50);
    Stats b = new Stats("ms", p99);
    Stats l = new Stats("deliveries", lost);
    return List.of(
        new Figure(s, "p50 event time to receipt", a, "<= 30 ms", a.median() <= 30),
        new Figure(s, "p99 event time to receipt", b, "<= 200 ms", b.median() <= 200),
        new Figure(s, "max event time to receipt", new Stats("ms", max), null, null),
        new Figure(s, "p50 of it: event time to task written (fan-out)", new Stats("ms", fanOut50), null, null),
        new Figure(s, "p99 of it: event time to task written (fan-out)", new Stats("ms", fanOut99), null, null),
        new Figure(s, "p50 of it: task written to receipt (delivery)", new Stats("ms", delivery50), null, null),
        new Figure(s, "p99 of it: task written to receipt (delivery)", new Stats("ms", delivery99), null, null),
        new Figure(s, "deliveries lost", l, "0", l.max() == 0));
  }

  /**
   * p50, p99 and max (ms), the deliveries lost, and p50/p99 of the fan-out's part (event time to
   * the task's record) and the delivery's (the task's record to receipt) of one run.
   */
  private static double[] once(Env env, int seconds, int run) throws Exception {
    try (NodeReceiver receiver = new NodeReceiver(env.workDir(), ENDPOINTS);
        Stack stack = new Stack(env.bootstrap(), Map.of())) {
      stack.startFeed();
      Deliveries deliveries = new Deliveries(stack, receiver);
      for (int i = 0; i < ENDPOINTS; i++) {
        deliveries.subscribe(receiver.url(i, "/hook"), null);
      }
      int warm = env.size(100, 5);
      try (EventSender sender = new EventSender(env.bootstrap(), stack.reportsTopic())) {
        for (int i = 0; i < warm; i++) {
          sender.send(EventSender.report("warm-" + run + "-" + i, 1500));
        }
        sender.flush();
        deliveries.await("warm-", warm * ENDPOINTS, 60_000);
        int n = PER_SECOND * seconds;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          long due = t0 + i * 1_000_000_000L / PER_SECOND;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
          sender.send(EventSender.report("paced-" + run + "-" + i, 1500));
        }
        sender.flush();
        int arrived = deliveries.await("paced-", n * ENDPOINTS, 60_000);
        List<Double> latencies = new ArrayList<>();
        List<Double> fanOut = new ArrayList<>();
        List<Double> delivery = new ArrayList<>();
        Map<String, Long> written = TaskTimes.read(env.bootstrap(), stack.config.string("topics.deliveries"));
        for (NodeReceiver.Receipt r : deliveries.firstReceipts("paced-")) {
          latencies.add((double) (r.at() - r.eventTime()));
          Long at = written.get(r.webhookId());
          if (at != null) {
            fanOut.add((double) (at - r.eventTime()));
            delivery.add((double) (r.at() - at));
          }
        }
        return new double[] {Stats.percentile(latencies, 50), Stats.percentile(latencies, 99),
            Stats.percentile(latencies, 100), n * ENDPOINTS - arrived, Stats.percentile(fanOut, 50),
            Stats.percentile(fanOut, 99), Stats.percentile(delivery, 50), Stats.percentile(delivery, 99)};
      }
    }
  }
}
