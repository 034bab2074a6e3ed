package io.jpeer.cli.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The shared command shape of {@code osdctl pglog} and {@code osdctl pgsim}: one file prints one
 * indented result (or one error line on stderr, exit 2); several files print one compact result
 * per line in order, a failing file's line being an error object, and exit 2 if any failed.
 */
public final class ScenarioRunner {
  /** Runs one scenario file to its JSON result. */
  @FunctionalInterface
  public interface Scenario {
    JsonNode run(Path file) throws ScenarioException;
  }

  /** A run that failed (not the input's fault): exit 1 instead of 2. */
  public interface Failure {}

  private ScenarioRunner() {}

  /** Runs one file; a fault inside the core (a bug) becomes a one-line error, never a stack trace. */
  private static JsonNode runOne(Scenario scenario, Path f) throws ScenarioException {
    try {
      return scenario.run(f);
    } catch (RuntimeException e) {
      if (e instanceof Failure) {
        throw e;
      }
      throw new ScenarioException("internal", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  public static int run(List<Path> files, Scenario scenario, PrintStream out, PrintStream err) {
    if (files.isEmpty()) {
      err.println("no scenario file given");
      return 2;
    }
    if (files.size() == 1) {
      Path f = files.get(0);
      try {
        out.println(JsonText.pretty(runOne(scenario, f)));
        return 0;
      } catch (ScenarioException e) {
        err.println(f + ": " + e.getMessage());
        return 2;
      } catch (RuntimeException e) {
        err.println(f + ": " + e.getMessage()); // a Failure: the run itself failed
        return 1;
      }
    }
    int status = 0;
    for (Path f : files) {
      try {
        out.println(JsonText.compact(runOne(scenario, f)));
      } catch (ScenarioException e) {
        out.println(JsonText.compact(JsonText.errorObject(f.toString(), e.getMessage())));
        status = 2;
      } catch (RuntimeException e) {
        out.println(JsonText.compact(JsonText.errorObject(f.toString(), e.getMessage())));
        status = Math.max(status, 1);
      }
    }
    return status;
  }
}
