package io.jpeer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code osdctl}: the command-line tool. Each subcommand is its own class, registered below. */
@Command(
    name = "osdctl",
    mixinStandardHelpOptions = true,
    description = "Inspect and drive a jpeer cluster, or run the peering core offline.")
public final class Osdctl implements Runnable {

  /** Builds the command tree; one line per subcommand. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Osdctl());
    cl.addSubcommand(new PglogCommand());
    return cl;
  }

  /** Runs one command line and returns the exit status (0 ok, 1 failed, 2 bad input). */
  public static int run(String[] args) {
    return commandLine().execute(args);
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.err);
  }
}
