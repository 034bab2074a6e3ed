package io.jpeer.cli.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed files get one plain line naming the problem, without the JSON library's internals. */
class StrictJsonMessagesTest {
  @TempDir
  Path dir;

  private String error(byte[] content) throws IOException {
    Path f = dir.resolve("f.json");
    Files.write(f, content);
    ScenarioException e = catchThrowableOfType(() -> StrictJson.readFile(f), ScenarioException.class);
    assertThat(e).as("an error for %s", new String(content, StandardCharsets.ISO_8859_1)).isNotNull();
    assertThat(e.getMessage()).doesNotContain("\n", "Jackson", "`", "Feature", "Exception", "StreamReadConstraints");
    return e.getMessage();
  }

  private String error(String content) throws IOException {
    return error(content.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void eachMalformedInputHasItsOwnPlainMessage() throws IOException {
    assertThat(error("{\"a\": NaN}")).isEqualTo("json: NaN is not a JSON value (JSON has no NaN or Infinity) at line 1 "
        + "column 10");
    assertThat(error("[".repeat(1200) + "]".repeat(1200))).isEqualTo("json: nested too deeply (more than 1000 levels)");
    assertThat(error("{\"a\":1} {\"b\":2}")).startsWith("json: more than one JSON value: text follows the top-level");
    assertThat(error("\uFEFF{\"a\":1}")).isEqualTo(
        "json: the file starts with a byte-order mark; save it as UTF-8 without one");
    assertThat(error(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'})).isEqualTo(
        "file: not UTF-8 text (binary?): invalid byte at offset 1");
    assertThat(error(new byte[] {'{', 0, '}'})).isEqualTo("file: not text (binary?): NUL byte at offset 1");
    assertThat(error("")).isEqualTo("json: the file is empty (expected a JSON object)");
    assertThat(error(" \n\t")).isEqualTo("json: the file is empty (expected a JSON object)");
    assertThat(error("[1, 2]")).isEqualTo("json: the top level is an array, not an object");
    assertThat(error("{\"a\": tru}")).startsWith("json: Unrecognized token 'tru' at line 1");
  }

  @Test
  void aGoodFileStillReads() throws Exception {
    Path f = dir.resolve("ok.json");
    Files.writeString(f, "{\"a\": \"\u00e9\"}");
    StrictJson.Obj o = StrictJson.readFile(f);
    assertThat(o.string("a")).isEqualTo("\u00e9");
  }
}
