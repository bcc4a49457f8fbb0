package org.bulletin.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/** Sends POSIX signals to a process, e.g. SIGSTOP and SIGCONT to freeze and thaw a broker. */
public final class ProcessSignals {
  private ProcessSignals() {}

  /** Runs {@code kill -NAME pid}; fails unless it succeeds within 10 s. */
  public static void send(long pid, String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(pid)).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
        throw new AssertionError("kill -" + name + " " + pid + " did not finish in 10 s");
      }
      if (kill.exitValue() != 0) {
        throw new AssertionError("kill -" + name + " " + pid + " exited with " + kill.exitValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
