package org.bulletin.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** wrk and nginx, the external references, run as processes on loopback. */
final class Tools {
  private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern P99 = Pattern.compile("\\s99%\\s+([0-9.]+)(us|ms|s)");

  private Tools() {}

  /** Requests per second and p99 latency (ms) that wrk measured. */
  record WrkResult(double rps, double p99Ms, String raw) {}

  static WrkResult wrk(String url, int connections, int seconds, Path script, List<String> headers) throws Exception {
    return wrk(url, 2, connections, seconds, script, headers);
  }

  static WrkResult wrk(String url, int threads, int connections, int seconds, Path script, List<String> headers)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency"));
    for (String h : headers) {
      cmd.add("-H");
      cmd.add(h);
    }
    if (script != null) {
      cmd.add("-s");
      cmd.add(script.toString());
    }
    cmd.add(url);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("wrk failed: " + out);
    }
    Matcher rps = RPS.matcher(out);
    Matcher p99 = P99.matcher(out);
    if (!rps.find() || !p99.find()) {
      throw new IllegalStateException("cannot read wrk's output: " + out);
    }
    double value = Double.parseDouble(p99.group(1));
    double ms = switch (p99.group(2)) {
      case "us" -> value / 1000;
      case "s" -> value * 1000;
      default -> value;
    };
    if (out.contains("Non-2xx or 3xx responses")) {
      throw new IllegalStateException("wrk saw error responses: " + out);
    }
    return new WrkResult(Double.parseDouble(rps.group(1)), ms, out);
  }

  /** nginx serving {@code root} on a free port, one worker per core, keep-alive; stopped on close. */
  static final class Nginx implements AutoCloseable {
    final int port;
    private final Process process;

    Nginx(Path dir, Path root) throws Exception {
      port = freePort();
      Files.createDirectories(dir.resolve("logs"));
      Path conf = dir.resolve("nginx.conf");
      Files.writeString(conf, String.join("\n",
          "worker_processes auto;",
          "pid " + dir.resolve("nginx.pid") + ";",
          "error_log " + dir.resolve("logs/error.log") + " warn;",
          "events { worker_connections 1024; }",
          "http {",
          "  access_log off;",
          "  sendfile on; tcp_nopush on; keepalive_requests 100000; keepalive_timeout 60;",
          "  types { application/rss+xml rss; }",
          "  client_body_temp_path " + dir.resolve("tmp") + "; proxy_temp_path " + dir.resolve("tmp") + ";",
          "  fastcgi_temp_path " + dir.resolve("tmp") + "; uwsgi_temp_path " + dir.resolve("tmp") + ";",
          "  scgi_temp_path " + dir.resolve("tmp") + ";",
          "  server { listen 127.0.0.1:" + port + "; root " + root + "; }",
          "}", ""));
      Files.createDirectories(dir.resolve("tmp"));
      process = new ProcessBuilder("nginx", "-c", conf.toString(), "-p", dir.toString(), "-g", "daemon off;")
          .redirectErrorStream(true).redirectOutput(dir.resolve("logs/out.log").toFile()).start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (true) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
          return;
        } catch (IOException notYet) {
          if (!process.isAlive() || System.nanoTime() > deadline) {
            throw new IllegalStateException("nginx did not start: " + Files.readString(dir.resolve("logs/out.log")));
          }
          Thread.sleep(50);
        }
      }
    }

    @Override
    public void close() {
      process.destroy();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static boolean installed(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return Files.isExecutable(Path.of("/usr/sbin", command));
  }
}
