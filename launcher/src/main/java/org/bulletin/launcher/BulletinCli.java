package org.bulletin.launcher;

import java.util.Arrays;
import java.util.List;
import org.bulletin.producer.cli.PublishCommand;

/** Entry point of {@code ./bulletin}: dispatches to its commands. */
public final class BulletinCli {
  private BulletinCli() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    if (args.length == 0 || List.of("help", "-h", "--help").contains(args[0])) {
      System.out.println(usage());
      return args.length == 0 ? 2 : 0;
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    return switch (args[0]) {
      case "up" -> new UpCommand(System.getenv(), System.out, System.err).run(rest);
      case "publish" -> new PublishCommand(System.getenv(), System.out, System.err).run(rest);
      default -> {
        System.err.println("bulletin: unknown command '" + args[0] + "'");
        System.err.println(usage());
        yield 2;
      }
    };
  }

  static String usage() {
    return String.join("\n",
        "usage: ./bulletin COMMAND [OPTIONS]",
        "  up        start Kafka (or use --bootstrap-servers), the ingest API and the feed service,",
        "            publish the bundled samples and print the URLs; Ctrl-C stops everything",
        "  publish   publish report files or directories (see ./bulletin publish --help)",
        "  bench     run the benchmarks (bench/run; --smoke for a one-minute check)",
        "  help      this text",
        "",
        UpCommand.usage());
  }
}
