package org.bulletin.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bulletin.schema.MeetingReport;
import org.bulletin.schema.Official;

/**
 * Scenario 10: 1,000 endpoints, each with a filter (nine in ten on a district of their own, one in
 * ten on the tag {@code popular}), 10 events/s. Measures the CPU time the fan-out thread spends per
 * event (its thread CPU clock, in this JVM) for events that match one endpoint, first with only 20
 * endpoints subscribed and then with all 1,000, and for events that match the 100 tag endpoints.
 * Cost that grows with the matches and not with all endpoints: the one-match figure stays put
 * when the endpoints grow fifty-fold. A warm-up of 100 one-match events, not measured, comes first.
 */
final class FilteredFanOutScenario {
  static final int PER_SECOND = 10;
  private static final String FAN_OUT_THREAD = "bulletin-webhook-fanout";

  private FilteredFanOutScenario() {}

  static List<Figure> run(Env env) throws Exception {
    int endpoints = env.size(1_000, 40);
    int few = env.size(20, 10);
    int seconds = env.seconds(30, 2);
    List<Double> small = new ArrayList<>();
    List<Double> oneOfAll = new ArrayList<>();
    List<Double> many = new ArrayList<>();
    List<Double> growth = new ArrayList<>();
    List<Double> perMatch = new ArrayList<>();
    List<Double> lost = new ArrayList<>();
    for (int run = 0; run < env.runs(); run++) {
      double[] r = once(env, endpoints, few, seconds, run);
      small.add(r[0]);
      oneOfAll.add(r[1]);
      many.add(r[2]);
      growth.add(r[1] / r[0]);
      perMatch.add(r[2] / r[1]);
      lost.add(r[3]);
    }
    int tagged = endpoints / 10;
    String s = "10. Filtered fan-out (" + endpoints + " endpoints with filters, " + PER_SECOND + " events/s, "
        + seconds + " s per phase)";
    Stats g = new Stats("x", growth);
    Stats l = new Stats("deliveries", lost);
    return List.of(
        new Figure(s, "fan-out CPU per event, 1 match, " + few + " endpoints", new Stats("us", small), null, null),
        new Figure(s, "fan-out CPU per event, 1 match, " + endpoints + " endpoints", new Stats("us", oneOfAll), null,
            null),
        new Figure(s, "fan-out CPU per event, " + tagged + " matches, " + endpoints + " endpoints",
            new Stats("us", many), null, null),
        new Figure(s, "1 match: " + endpoints + " / " + few + " endpoints", g, "<= 1.5x", g.median() <= 1.5),
        new Figure(s, tagged + " matches / 1 match, " + endpoints + " endpoints", new Stats("x", perMatch), null,
            null),
        new Figure(s, "deliveries lost", l, "0", l.max() == 0));
  }

  /** Microseconds of fan-out CPU per event (few endpoints, all endpoints, many matches) and deliveries lost. */
  private static double[] once(Env env, int endpoints, int few, int seconds, int run) throws Exception {
    int districts = endpoints - endpoints / 10;
    try (NodeReceiver receiver = new NodeReceiver(env.workDir(), 1);
        Stack stack = new Stack(env.bootstrap(), Map.of())) {
      try (EventSender sender = new EventSender(env.bootstrap(), stack.reportsTopic())) {
        // Filters are checked against the districts and tags seen: one report names each first.
        for (int i = 0; i < districts; i++) {
          sender.send(report("seed-" + i, district(i), List.of("popular", "rare")));
        }
        sender.flush();
      }
      stack.startFeed();
      Deliveries deliveries = new Deliveries(stack, receiver);
      for (int i = 0; i < few; i++) {
        deliveries.subscribe(receiver.url(0, "/hook/" + i), filter("districts", district(i)));
      }
      int n = PER_SECOND * seconds;
      int lost = 0;
      try (EventSender sender = new EventSender(env.bootstrap(), stack.reportsTopic())) {
        // Not measured: the first events through the fan-out run interpreted code (JIT warm-up).
        lost += (int) phase(sender, deliveries, "w" + run + "-", env.size(100, 5), few, i -> district(i % few), "rare",
            1)[1];
        double[] smallCost = phase(sender, deliveries, "a" + run + "-", n, few, i -> district(i % few), "rare", 1);
        lost += (int) smallCost[1];
        for (int i = few; i < endpoints; i++) {
          deliveries.subscribe(receiver.url(0, "/hook/" + i),
              i < districts ? filter("districts", district(i)) : filter("tags", "popular"));
        }
        double[] allCost = phase(sender, deliveries, "b" + run + "-", n, few, i -> district(i % few), "rare", 1);
        lost += (int) allCost[1];
        int tagged = endpoints - districts;
        double[] manyCost = phase(sender, deliveries, "c" + run + "-", n, few, i -> "Unsubscribed District",
            "popular", tagged);
        lost += (int) manyCost[1];
        return new double[] {smallCost[0], allCost[0], manyCost[0], lost};
      }
    }
  }

  /** Sends {@code n} events at the pace; returns the fan-out CPU per event (us) and the deliveries lost. */
  private static double[] phase(EventSender sender, Deliveries deliveries, String prefix, int n, int few,
      java.util.function.IntFunction<String> districtOf, String tag, int matches) throws Exception {
    long cpu0 = fanOutCpuNanos();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long wait = t0 + i * 1_000_000_000L / PER_SECOND - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      sender.send(report(prefix + i, districtOf.apply(i), List.of(tag)));
    }
    sender.flush();
    int arrived = deliveries.await(prefix, n * matches, 60_000);
    long cpu = fanOutCpuNanos() - cpu0;
    return new double[] {cpu / 1000.0 / n, n * matches - arrived};
  }

  /** CPU time of the fan-out threads alive in this JVM (the benchmark's feed service runs here). */
  private static long fanOutCpuNanos() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(FAN_OUT_THREAD)) {
        total += Math.max(0, mx.getThreadCpuTime(t.getId()));
      }
    }
    if (total == 0) {
      throw new IllegalStateException("no thread named " + FAN_OUT_THREAD + " with CPU time in this JVM");
    }
    return total;
  }

  private static String district(int i) {
    return "Bench District " + i;
  }

  private static JsonObject filter(String field, String value) {
    return new JsonObject().put(field, new JsonArray().add(value));
  }

  private static MeetingReport report(String id, String district, List<String> tags) {
    MeetingReport r = EventSender.report(id, 1500);
    return new MeetingReport(r.id(), r.title(), LocalDate.of(2024, 5, 1), LocalDate.of(2024, 4, 28), district,
        new Official("Wei Dong", "secretary of the District Party Committee"), r.attendees(), r.source(),
        r.sourceUrl(), r.body(), r.summary(), tags, r.language());
  }
}
