package io.jpeer.cli.scenario;

/** A scenario file is malformed or its state is refused: {@code WHERE: PROBLEM}, one line. */
public final class ScenarioException extends Exception {
  private final String where;
  private final String problem;

  public ScenarioException(String where, String problem) {
    super(where + ": " + problem);
    this.where = where;
    this.problem = problem;
  }

  public String where() {
    return where;
  }

  public String problem() {
    return problem;
  }
}
