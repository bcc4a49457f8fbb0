package org.bulletin.launcher.listen;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.bulletin.launcher.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./bulletin listen}: a local webhook receiver for a partner developer. Verifies each
 * delivery's Standard Webhooks signature and prints one line per event; runs until Ctrl-C.
 */
@Command(name = "listen", mixinStandardHelpOptions = true,
    header = "Receive webhooks locally, verify their signatures, print each event.",
    description = "Receive webhooks on this machine: verify each delivery's Standard Webhooks signature"
        + " (webhook-id, webhook-timestamp, webhook-signature) and print one line per event: time, verified"
        + " or REJECTED, type, webhook id, report id, title. Answers 204 when verified, 400 or 401 otherwise"
        + " (with the reason), 413 beyond --max-body-bytes. Runs until Ctrl-C.",
    footer = {"", "Example (subscribe http://127.0.0.1:9000/hooks first; ./bulletin up allows loopback):",
        "  ./bulletin listen --port 9000 --path /hooks --secret whsec_...", "",
        "Exit codes: 0 stopped, 1 could not listen (port taken?), 2 usage error (a malformed secret too)."})
public final class ListenCommand implements Callable<Integer> {
  private final PrintStream out;
  private final PrintStream err;

  @Option(names = "--port", required = true, paramLabel = "PORT", description = "port to listen on")
  int port;

  @Option(names = "--secret", required = true, paramLabel = "whsec_…",
      description = "the subscription's signing secret, as the subscribe (or rotate-secret) answer prints it")
  String secret;

  @Option(names = "--path", paramLabel = "PATH", description = "path deliveries are POSTed to (default: ${DEFAULT-VALUE})")
  String path = "/";

  @Option(names = "--host", paramLabel = "ADDRESS", description = "address to listen on (default: ${DEFAULT-VALUE})")
  String host = "127.0.0.1";

  @Option(names = "--tolerance", paramLabel = "SECONDS",
      description = "how far webhook-timestamp may be from now (default: ${DEFAULT-VALUE})")
  long toleranceSeconds = 300;

  @Option(names = "--max-body-bytes", paramLabel = "BYTES",
      description = "larger deliveries are answered 413 (default: ${DEFAULT-VALUE})")
  long maxBodyBytes = 1_048_576;

  public ListenCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    if (!path.startsWith("/")) {
      err.println("bulletin listen: --path must start with /, e.g. /hooks");
      return ExitCodes.USAGE;
    }
    if (port < 0 || port > 65535 || toleranceSeconds < 1 || maxBodyBytes < 1) {
      err.println("bulletin listen: --port must be 0-65535, --tolerance and --max-body-bytes positive");
      return ExitCodes.USAGE;
    }
    SignatureVerifier verifier;
    try {
      verifier = new SignatureVerifier(secret.trim(), Duration.ofSeconds(toleranceSeconds), Clock.systemUTC());
    } catch (IllegalArgumentException e) {
      err.println("bulletin listen: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    Vertx vertx = Vertx.vertx();
    HttpServer server;
    try {
      server = new WebhookListener(verifier, path, maxBodyBytes, line -> {
        out.println(line);
        out.flush();
      }, Clock.systemDefaultZone()).listen(vertx, host, port).await();
    } catch (Exception e) { // await() rethrows the bind failure, checked or not
      err.println("bulletin listen: " + (portTaken(e) ? "port " + port + " is already in use; choose another with --port"
          : "cannot listen on " + host + ":" + port + ": " + e.getMessage()));
      vertx.close().await();
      return ExitCodes.FAILED;
    }
    out.println("Listening for webhooks on http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
        + server.actualPort() + path + " (Ctrl-C to stop)");
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      vertx.close().await();
      stopped.countDown();
    }, "bulletin-listen-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return ExitCodes.OK;
  }

  private static boolean portTaken(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException) {
        return true;
      }
    }
    return false;
  }
}
