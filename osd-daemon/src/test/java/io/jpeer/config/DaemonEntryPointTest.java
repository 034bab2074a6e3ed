package io.jpeer.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar's daemon entry points ({@code jpeer mon}, {@code jpeer osd}) in child JVMs, as
 * scripts/cluster starts them: bad configuration exits 2 with one line naming the key or file,
 * and {@code --help} prints the usage with every config key and exits 0.
 */
@Timeout(120)
class DaemonEntryPointTest {
  @TempDir Path dir;

  record Exit(int status, String out, List<String> errLines) {}

  /** Runs io.jpeer.Main in a child JVM on this test's class path. */
  static Exit jpeer(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "io.jpeer.Main"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
    // Read both streams fully; the outputs are small, so reading one then the other cannot block.
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("jpeer " + String.join(" ", args) + " did not exit");
    }
    return new Exit(p.exitValue(), out, err.lines().toList());
  }

  private Path conf(String text) throws IOException {
    Path f = dir.resolve("cluster.conf");
    Files.writeString(f, "[global]\nfsid = 6214e3ef-4146-472b-8149-59085d3053ad\nmon host = 127.0.0.1:1\n"
        + "mon data = " + dir.resolve("mon") + "\nosd data = " + dir.resolve("osd") + "\n" + text);
    return f;
  }

  static void oneLineExit2(Exit e, String... mentions) {
    assertThat(e.status()).as("exit status; stderr %s", e.errLines()).isEqualTo(2);
    assertThat(e.errLines()).as("stderr").hasSize(1);
    for (String m : mentions) {
      assertThat(e.errLines().get(0)).contains(m);
    }
    assertThat(e.out()).isEmpty();
  }

  @Test
  void unknownKeyInTheFileExits2WithOneLine() throws Exception {
    Path f = conf("[osd]\nosd heartbeat gracee = 5\n");
    oneLineExit2(jpeer("mon", "--conf", f.toString()), "osd_heartbeat_gracee", f + ":7");
    oneLineExit2(jpeer("osd", "--conf", f.toString(), "--id", "0"), "osd_heartbeat_gracee", f + ":7");
  }

  @Test
  void unknownOrBadOverrideExits2WithOneLine() throws Exception {
    Path f = conf("");
    oneLineExit2(jpeer("mon", "--conf", f.toString(), "--no_such_key=1"), "--no_such_key=1", "unknown option");
    oneLineExit2(jpeer("osd", "--conf", f.toString(), "--id", "1", "--osd_heartbeat_grace=soon"),
        "osd_heartbeat_grace", "soon");
  }

  @Test
  void unreadableFileExits2WithOneLine() throws Exception {
    String missing = dir.resolve("nope.conf").toString();
    oneLineExit2(jpeer("osd", "--conf", missing, "--id", "0"), missing);
  }

  @Test
  void daemonsHaveHelp() throws Exception {
    for (String program : new String[] {"mon", "osd"}) {
      Exit e = jpeer(program, "--help");
      assertThat(e.status()).as(program + " --help: " + e.errLines()).isZero();
      assertThat(e.out()).startsWith("Usage: jpeer " + program + " --conf FILE");
      for (String key : Options.names()) {
        assertThat(e.out()).as(program).contains("--" + key + " ");
      }
      assertThat(e.errLines()).isEmpty();
    }
  }
}
