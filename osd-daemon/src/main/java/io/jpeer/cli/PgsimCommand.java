package io.jpeer.cli;

import io.jpeer.cli.scenario.ScenarioRunner;
import io.jpeer.cli.scenario.pgsim.PgsimScenario;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code osdctl pgsim FILE...}: peers one PG on simulated OSDs with the real state machine. */
@Command(name = "pgsim", mixinStandardHelpOptions = true,
    description = "Run the peering state machine of every OSD of one PG over a simulated bus with a simulated "
        + "monitor (pgsim-scenarios format); print what happened as JSON.")
public final class PgsimCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "scenario files")
  List<Path> files;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    // The command line's streams (not System.*): batch mode prefixes errors with the line number.
    return ScenarioRunner.run(files, PgsimScenario::run, new WriterStream(spec.commandLine().getOut()),
        new WriterStream(spec.commandLine().getErr()));
  }
}
