package org.bulletin.launcher;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./bulletin bench}: the shell script hands it to {@code bench/run} before Java starts;
 * this entry only lists it in the help and explains itself when reached directly.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    header = "Run the benchmarks (bench/run; --smoke for a one-minute check).",
    description = {"Run the benchmarks (bench/run): every scenario, 3 runs each, about 30 minutes;"
        + " writes bench/results/*.json and BENCHMARKS.md. Options go to bench/run:",
        "  --smoke        tiny sizes, one run, under a minute",
        "  --runs N       runs per scenario",
        "  --only 1,2,3   only these scenarios"})
final class BenchCommand implements Callable<Integer> {
  private final PrintStream err;

  @Parameters(arity = "0..*", hidden = true)
  List<String> ignored;

  BenchCommand(PrintStream err) {
    this.err = err;
  }

  @Override
  public Integer call() {
    err.println("bulletin bench: run it through the ./bulletin script (it starts bench/run).");
    return ExitCodes.USAGE;
  }
}
