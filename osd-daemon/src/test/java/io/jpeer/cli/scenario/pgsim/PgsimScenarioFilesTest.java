package io.jpeer.cli.scenario.pgsim;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpeer.cli.Osdctl;
import io.jpeer.cli.scenario.ScenarioFilesContract;
import io.jpeer.cli.scenario.ScenarioRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every scenarios/pgsim file through {@code osdctl pgsim}'s code. */
class PgsimScenarioFilesTest extends ScenarioFilesContract {
  static final Path DIR = Path.of("src/test/resources/scenarios/pgsim");

  static Stream<Path> scenarios() throws IOException {
    return filesIn(DIR);
  }

  @Override
  protected Path dir() {
    return DIR;
  }

  @Override
  protected ScenarioRunner.Scenario scenario() {
    return PgsimScenario::run;
  }

  @Test
  void bothScenarioToolsAreRegistered() {
    assertThat(Osdctl.commandLine().getSubcommands()).containsKeys("pglog", "pgsim");
  }
}
