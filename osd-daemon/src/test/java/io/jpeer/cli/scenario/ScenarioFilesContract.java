package io.jpeer.cli.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every scenario file of one tool through the command's code: NAME.json must print
 * NAME.expected.json (compared as JSON values), or fail with exactly the one line in
 * NAME.expected-error and exit 2.
 */
@Timeout(60)
public abstract class ScenarioFilesContract {
  protected static final ObjectMapper JSON = new ObjectMapper();

  /** The test resources directory of this tool's scenarios. */
  protected abstract Path dir();

  protected abstract ScenarioRunner.Scenario scenario();

  protected record Run(int status, String out, String err) {}

  protected Run run(List<Path> files) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = ScenarioRunner.run(files, scenario(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  protected static Stream<Path> filesIn(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".json") && !p.toString().endsWith(".expected.json")).sorted()
          .toList().stream();
    }
  }

  protected void check(Path file) throws IOException {
    String base = file.toString().substring(0, file.toString().length() - ".json".length());
    Path expected = Path.of(base + ".expected.json");
    Path expectedError = Path.of(base + ".expected-error");
    Run r = run(List.of(file));
    if (Files.exists(expected)) {
      assertThat(r.err()).as("stderr").isEmpty();
      assertThat(r.status()).isZero();
      JsonNode got = JSON.readTree(r.out());
      assertThat(got).isEqualTo(JSON.readTree(expected.toFile()));
    } else {
      assertThat(Files.exists(expectedError)).as("expected output for " + file).isTrue();
      assertThat(r.status()).isEqualTo(2);
      assertThat(r.out()).isEmpty();
      assertThat(r.err()).isEqualTo(file + ": " + Files.readString(expectedError).strip() + "\n");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void scenarioGivesItsExpectedResult(Path file) throws IOException {
    check(file);
  }

  @Test
  void severalFilesPrintOneCompactLineEachAndAFailingFileBecomesAnErrorObject() throws IOException {
    List<Path> good = filesIn(dir()).filter(p -> Files.exists(Path.of(p.toString().replace(".json", ".expected.json"))))
        .toList();
    Path ok = good.get(0);
    Path bad = dir().resolve("no-such-file.json");
    Run r = run(List.of(ok, bad, ok));
    assertThat(r.status()).isEqualTo(2);
    String[] lines = r.out().split("\n");
    assertThat(lines).hasSize(3);
    assertThat(JSON.readTree(lines[0])).isEqualTo(JSON.readTree(Path.of(ok.toString().replace(".json",
        ".expected.json")).toFile()));
    assertThat(JSON.readTree(lines[1]).get("error").asText()).contains("cannot read");
    assertThat(lines[2]).isEqualTo(lines[0]);
  }

  @Test
  void unreadableFileIsOneLine() {
    Run r = run(List.of(dir().resolve("no-such-file.json")));
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).contains("cannot read");
  }
}
