package io.jpeer.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code osdctl}: the command-line tool. Cluster commands ask the monitor of the cluster in
 * {@code --dir} (default: the project's out/) or at {@code --mon}; {@code pglog}/{@code pgsim} run
 * the peering core offline. {@code osdctl -} reads one command per line from standard input and
 * runs them all in this one process over one monitor connection.
 */
@Command(
    name = "osdctl",
    mixinStandardHelpOptions = true,
    description = "Inspect and drive a jpeer cluster, or run the peering core offline.",
    subcommands = {
        ClusterCommands.Status.class, ClusterCommands.Osd.class, ClusterCommands.Pool.class,
        ClusterCommands.Pg.class, ObjectCommands.Put.class, ObjectCommands.Get.class, ObjectCommands.Rm.class,
        ObjectCommands.Ls.class, BenchCommand.class})
public final class Osdctl implements Callable<Integer> {
  @Option(names = "--dir", paramLabel = "DIR", description = "cluster directory (its cluster.conf names the monitor)")
  Path dir;

  @Option(names = "--mon", paramLabel = "HOST:PORT", description = "monitor address (instead of --dir)")
  String mon;

  /** Output formats the monitor knows, as Ceph's {@code --format} takes them. */
  static final java.util.Set<String> FORMATS = java.util.Set.of("json", "json-pretty", "plain");

  // Inherited: accepted before the command or after it (`osd dump --json`), as Ceph's CLI does.
  @Option(names = "--json", scope = CommandLine.ScopeType.INHERIT,
      description = "print Ceph's JSON instead of plain text (same as --format json-pretty)")
  boolean json;

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", scope = CommandLine.ScopeType.INHERIT,
      description = "output format: json, json-pretty or plain (default plain)")
  String format;

  @Spec CommandSpec spec;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "how long to wait for the monitor or for an object op to be answered (default ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Parameters(arity = "0..1", paramLabel = "-", description = "read commands from standard input, one per line")
  String batch;

  private ClusterSession session;

  /** Builds the command tree; one line per subcommand added outside the annotation. */
  public static CommandLine commandLine() {
    return commandLine(new Osdctl());
  }

  private static CommandLine commandLine(Osdctl root) {
    CommandLine cl = new CommandLine(root);
    cl.addSubcommand(new PglogCommand());
    cl.addSubcommand(new PgsimCommand());
    // bench's bad command lines get one line, not the usage text after it.
    CommandLine.IParameterExceptionHandler usual = cl.getParameterExceptionHandler();
    cl.setParameterExceptionHandler((ex, args) -> {
      if (!(ex.getCommandLine().getCommandSpec().userObject() instanceof BenchCommand)) {
        return usual.handleParseException(ex, args);
      }
      ex.getCommandLine().getErr().println("osdctl bench: " + ex.getMessage() + " (see osdctl bench --help)");
      ex.getCommandLine().getErr().flush();
      return 2;
    });
    return cl;
  }

  /** Runs one command line and returns the exit status (0 ok, 1 failed, 2 bad input). */
  public static int run(String[] args) {
    Osdctl root = new Osdctl();
    try {
      return commandLine(root).execute(args);
    } finally {
      root.closeSession();
    }
  }

  /** The output format asked for: --format wins over --json; plain when neither is given. */
  String format() {
    if (format != null) {
      return format;
    }
    return json ? "json-pretty" : "plain";
  }

  ClusterSession session() {
    if (session == null) {
      session = new ClusterSession(dir, mon, Duration.ofSeconds(Math.max(1, timeoutSeconds)));
    }
    return session;
  }

  private void closeSession() {
    if (session != null) {
      session.close();
    }
  }

  @Override
  public Integer call() throws IOException {
    // The command line's own err stream: in batch mode it carries the line number.
    PrintWriter err = spec.commandLine().getErr();
    if (batch == null) {
      spec.commandLine().usage(err);
      err.flush();
      return 2;
    }
    if (!batch.equals("-")) {
      err.println("osdctl: unknown command '" + batch + "' (see osdctl --help)");
      err.flush();
      return 2;
    }
    return runBatch(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
  }

  /** Batch mode: same syntax and output per line; failures reported with their line number. */
  int runBatch(BufferedReader in) throws IOException {
    int failed = 0;
    int lineNo = 0;
    PrintWriter out = new PrintWriter(System.out, true);
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      lineNo++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      List<String> words;
      try {
        words = splitWords(trimmed);
      } catch (IllegalArgumentException e) {
        System.err.println("line " + lineNo + ": " + e.getMessage());
        failed++;
        continue;
      }
      Osdctl lineRoot = new Osdctl();
      lineRoot.dir = dir;
      lineRoot.mon = mon;
      lineRoot.json = json;
      lineRoot.format = format;
      lineRoot.timeoutSeconds = timeoutSeconds;
      lineRoot.session = session();
      StringWriter errText = new StringWriter();
      CommandLine cl = commandLine(lineRoot);
      cl.setOut(out);
      cl.setErr(new PrintWriter(errText, true));
      int rc = words.contains("-") ? 2 : cl.execute(words.toArray(String[]::new));
      if (words.contains("-")) {
        errText.write("batch mode cannot nest '-'\n");
      }
      for (String errLine : errText.toString().split("\n")) {
        if (!errLine.isBlank()) {
          System.err.println("line " + lineNo + ": " + errLine);
        }
      }
      if (rc != 0) {
        failed++;
      }
    }
    out.flush();
    if (failed > 0) {
      System.err.println(failed + " of the commands failed");
      return 1;
    }
    return 0;
  }

  /** Splits a command line into words; single or double quotes group words. */
  static List<String> splitWords(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    char quote = 0;
    boolean inWord = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          cur.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(cur.toString());
          cur.setLength(0);
          inWord = false;
        }
      } else {
        cur.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unterminated quote");
    }
    if (inWord) {
      words.add(cur.toString());
    }
    return words;
  }
}
