package io.jpeer.cli;

import io.jpeer.cli.scenario.ScenarioRunner;
import io.jpeer.cli.scenario.pgsim.PgsimScenario;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code osdctl pgsim FILE...}: peers one PG on simulated OSDs with the real state machine. */
@Command(name = "pgsim", mixinStandardHelpOptions = true,
    description = "Run the peering state machine of every OSD of one PG over a simulated bus with a simulated "
        + "monitor (pgsim-scenarios format); print what happened as JSON.")
public final class PgsimCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "scenario files")
  List<Path> files;

  @Override
  public Integer call() {
    return ScenarioRunner.run(files, PgsimScenario::run, System.out, System.err);
  }
}
