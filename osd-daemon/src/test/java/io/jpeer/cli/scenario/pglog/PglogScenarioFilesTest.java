package io.jpeer.cli.scenario.pglog;

import io.jpeer.cli.scenario.ScenarioFilesContract;
import io.jpeer.cli.scenario.ScenarioRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Every scenarios/pglog file through {@code osdctl pglog}'s code. */
class PglogScenarioFilesTest extends ScenarioFilesContract {
  static final Path DIR = Path.of("src/test/resources/scenarios/pglog");

  static Stream<Path> scenarios() throws IOException {
    return filesIn(DIR);
  }

  @Override
  protected Path dir() {
    return DIR;
  }

  @Override
  protected ScenarioRunner.Scenario scenario() {
    return PglogScenario::run;
  }
}
