package org.bulletin.launcher;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.bulletin.launcher.listen.ListenCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code ./bulletin}: its commands on picocli, one exit-code convention for all of
 * them (see {@link ExitCodes}).
 */
@Command(name = "bulletin", mixinStandardHelpOptions = true, versionProvider = BulletinCli.Version.class,
    description = "Bulletin: syndicates official meeting reports as feeds and signed webhooks.",
    synopsisSubcommandLabel = "COMMAND",
    footer = {"", "Run ./bulletin COMMAND --help for a command's options.", "", ExitCodes.HELP})
public final class BulletinCli implements Runnable {
  private final PrintStream out;

  BulletinCli(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    KafkaLogging.quiet();
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /**
   * The system property {@code ./bulletin} sets to the directory it was run from (it changes to
   * the repository before starting Java).
   */
  static final String CALLER_DIR = "bulletin.caller.dir";

  /** Runs one command line; returns its exit code. */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    String caller = System.getProperty(CALLER_DIR);
    return run(args, env, caller == null || caller.isBlank() ? null : Path.of(caller), out, err);
  }

  /** @param callerDir where relative paths on the command line are resolved; null: the working directory */
  static int run(String[] args, Map<String, String> env, Path callerDir, PrintStream out, PrintStream err) {
    return commandLine(env, callerDir, out, err).execute(args);
  }

  static CommandLine commandLine(Map<String, String> env, Path callerDir, PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new BulletinCli(out))
        .addSubcommand(new UpCommand(env, out, err))
        .addSubcommand(new PublishCli(env, out, err))
        .addSubcommand(new ListenCommand(out, err))
        .addSubcommand(new BenchCommand(err))
        .addSubcommand(new CommandLine.HelpCommand());
    // Only paths typed by the user: the commands' own defaults (.bulletin, samples) stay in the repository.
    cli.registerConverter(Path.class, s -> callerDir == null ? Path.of(s) : callerDir.resolve(s));
    cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cli.setParameterExceptionHandler((e, args) -> {
      CommandLine failed = e.getCommandLine();
      String name = failed.getCommandSpec().qualifiedName();
      err.println(name + ": " + e.getMessage());
      err.println("Try './" + name + " --help'.");
      return ExitCodes.USAGE;
    });
    cli.setExecutionExceptionHandler((e, failed, parsed) -> {
      err.println(failed.getCommandSpec().qualifiedName() + ": " + e);
      return ExitCodes.FAILED;
    });
    return cli;
  }

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** {@code ./bulletin} alone: the list of commands, as a usage error. */
  @Override
  public void run() {
    spec.commandLine().usage(out);
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = BulletinCli.class.getPackage().getImplementationVersion();
      return new String[] {"bulletin " + (v == null ? "(development build)" : v)};
    }
  }
}
