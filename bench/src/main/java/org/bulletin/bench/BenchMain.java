package org.bulletin.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bulletin.localkafka.LocalKafka;
import org.bulletin.localkafka.LocalKafkaSettings;

/**
 * {@code bench/run [--smoke] [--runs N] [--only 1,3]}: every scenario against the real broker and
 * services, each beside its reference in the same run. Writes raw JSON under bench/results/ and,
 * for a full run, the table in BENCHMARKS.md.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    boolean smoke = false;
    int runs = 3;
    Set<Integer> only = new TreeSet<>(List.of(1, 2, 3, 4, 6));
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "-h", "--help" -> {
          System.out.println("usage: bench/run [--smoke] [--runs N] [--only 1,2,3,4,6,7,8,9,10,11]  (5 runs with 4; 7 to 11 only when asked)");
          System.exit(0);
        }
        case "--smoke" -> smoke = true;
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--only" -> {
          only.clear();
          for (String s : args[++i].split(",")) {
            only.add(Integer.parseInt(s.trim()) == 5 ? 4 : Integer.parseInt(s.trim()));
          }
        }
        default -> {
          System.err.println("usage: bench/run [--smoke] [--runs N] [--only 1,2,3,4,6,7,8,9,10,11]  (5 runs with 4; 7 to 11 only when asked)");
          System.exit(2);
        }
      }
    }
    Path root = Path.of(System.getProperty("bulletin.repo.root", "."));
    System.exit(run(root, smoke, runs, only).isEmpty() ? 1 : 0);
  }

  /** Runs the scenarios; returns every figure. */
  public static List<Figure> run(Path root, boolean smoke, int runs, Set<Integer> only) throws Exception {
    for (String tool : List.of("wrk", "nginx")) {
      if (!Tools.installed(tool) && (only.contains(1) || only.contains(4))) {
        throw new IllegalStateException(tool + " is not installed; bench/run installs it (apt-get install wrk nginx-light)");
      }
    }
    if (!NodeReceiver.available() && (only.contains(8) || only.contains(9) || only.contains(10) || only.contains(11))) {
      throw new IllegalStateException("node is not installed: scenarios 8 to 11 use a Node.js receiver");
    }
    if (!Tools.installed("wrk") && only.contains(9)) {
      throw new IllegalStateException("wrk is not installed; bench/run installs it (apt-get install wrk)");
    }
    // Readable by nginx's unprivileged worker (createTempDirectory makes it owner-only).
    Path work = Files.createTempDirectory("bulletin-bench",
        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
    List<Figure> figures = new ArrayList<>();
    Instant started = Instant.now();
    System.out.println("bench: load average at the start " + Files.readString(Path.of("/proc/loadavg")).trim());
    try (LocalKafka kafka = LocalKafka.start(new LocalKafkaSettings(work.resolve("kafka"), 0, 0, smoke ? 512 : 2048,
        Duration.ofSeconds(90)))) {
      Env env = new Env(kafka.bootstrapServers(), runs, smoke, work);
      if (only.contains(1)) {
        figures.addAll(report(FeedServingScenario.run(env)));
      }
      if (only.contains(2)) {
        figures.addAll(report(FreshnessScenario.run(env)));
      }
      if (only.contains(3)) {
        figures.addAll(report(CatchUpScenario.run(env)));
      }
      if (only.contains(4)) {
        figures.addAll(report(FanOutScenario.run(env)));
      }
      if (only.contains(6)) {
        figures.addAll(report(GrowthScenario.run(env)));
      }
      if (only.contains(7)) {
        figures.addAll(report(HostileEndpointsScenario.run(env)));
      }
      if (only.contains(8)) {
        figures.addAll(report(PacedDeliveryScenario.run(env)));
      }
      if (only.contains(9)) {
        figures.addAll(report(BurstDeliveryScenario.run(env)));
      }
      if (only.contains(10)) {
        figures.addAll(report(FilteredFanOutScenario.run(env)));
      }
      if (only.contains(11)) {
        figures.addAll(report(HubFanOutScenario.run(env)));
      }
    }
    Path results = smoke ? root.resolve("bench/target/smoke-results") : root.resolve("bench/results");
    Files.createDirectories(results);
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started);
    Path json = results.resolve((smoke ? "smoke-" : "") + stamp + ".json");
    Files.writeString(json, json(started, smoke, runs, figures));
    System.out.println("Raw results: " + json);
    if (!smoke && only.size() == 5) {
      Files.writeString(root.resolve("BENCHMARKS.md"), markdown(started, runs, figures, json.getFileName().toString()));
      System.out.println("Table: " + root.resolve("BENCHMARKS.md"));
    }
    return figures;
  }

  private static List<Figure> report(List<Figure> figures) {
    for (Figure f : figures) {
      System.out.printf(Locale.ROOT, "%-55s %-45s median %10.2f %-12s (min %.2f, max %.2f)%s%n", f.scenario(), f.name(),
          f.stats().median(), f.stats().unit(), f.stats().min(), f.stats().max(),
          f.target() == null ? "" : "  target " + f.target() + ": " + (f.met() ? "met" : "MISSED"));
    }
    return figures;
  }

  static Map<String, String> machine() throws Exception {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemTotal:")) {
        m.put("memory", Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024 / 1024 + " GiB");
      }
    }
    for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
      if (line.startsWith("model name")) {
        m.put("cpu", line.substring(line.indexOf(':') + 1).trim());
        break;
      }
    }
    m.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    // The machine may be shared: say how busy it was (1, 5 and 15 minute load averages, when written).
    String[] load = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
    m.put("load average at the end (1/5/15 min)", load[0] + " " + load[1] + " " + load[2]);
    return m;
  }

  private static String json(Instant started, boolean smoke, int runs, List<Figure> figures) throws Exception {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("date", started.toString());
    root.put("smoke", smoke);
    root.put("runs", runs);
    root.set("machine", mapper.valueToTree(machine()));
    ArrayNode list = root.putArray("figures");
    for (Figure f : figures) {
      ObjectNode o = list.addObject();
      o.put("scenario", f.scenario());
      o.put("name", f.name());
      o.put("unit", f.stats().unit());
      o.put("median", f.stats().median());
      o.put("min", f.stats().min());
      o.put("max", f.stats().max());
      ArrayNode raw = o.putArray("runs");
      f.stats().runs().forEach(raw::add);
      if (f.target() != null) {
        o.put("target", f.target());
        o.put("met", f.met());
      }
    }
    return mapper.writeValueAsString(root);
  }

  private static String markdown(Instant started, int runs, List<Figure> figures, String rawFile) throws Exception {
    StringBuilder sb = new StringBuilder("# Benchmarks\n\n");
    sb.append("Measured by `./bulletin bench` (`bench/run`) on ").append(started.toString(), 0, 10)
        .append(": every figure is the median of ").append(runs).append(" runs, with min and max; each comparison")
        .append(" was measured side by side in the same run. Raw data: `bench/results/").append(rawFile).append("`.\n\n");
    sb.append("Machine: ");
    machine().forEach((k, v) -> sb.append(k).append(" ").append(v).append("; "));
    sb.append("\n\n| Scenario | Figure | Median | Min | Max | Target | Met |\n| --- | --- | ---: | ---: | ---: | --- | --- |\n");
    for (Figure f : figures) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %.2f %s | %.2f | %.2f | %s | %s |%n", f.scenario(), f.name(),
          f.stats().median(), f.stats().unit(), f.stats().min(), f.stats().max(), f.target() == null ? "" : f.target(),
          f.met() == null ? "" : f.met() ? "yes" : "**no**"));
    }
    Path analysis = Path.of(System.getProperty("bulletin.repo.root", ".")).resolve("bench/ANALYSIS.md");
    if (Files.exists(analysis)) {
      sb.append("\n").append(Files.readString(analysis));
    }
    return sb.toString();
  }
}
