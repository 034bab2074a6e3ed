package io.jpeer.cli;

import io.jpeer.cli.scenario.ScenarioRunner;
import io.jpeer.cli.scenario.pglog.PglogScenario;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code osdctl pglog FILE...}: runs PG log operations described in scenario files. */
@Command(name = "pglog", mixinStandardHelpOptions = true,
    description = "Run a PG log operation (merge_log, proc_replica_log, rewind_divergent_log, "
        + "merge_divergent_entries, trim) on the state in each JSON file; print the result as JSON.")
public final class PglogCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "scenario files (pglog-scenarios format)")
  List<Path> files;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    // The command line's streams (not System.*): batch mode prefixes errors with the line number.
    return ScenarioRunner.run(files, PglogScenario::run, new WriterStream(spec.commandLine().getOut()),
        new WriterStream(spec.commandLine().getErr()));
  }
}
