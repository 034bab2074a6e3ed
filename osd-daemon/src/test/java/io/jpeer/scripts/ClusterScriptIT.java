package io.jpeer.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives {@code scripts/cluster} with real processes: a monitor and three OSD JVMs on 127.0.0.1
 * with free ports in a temporary directory. Failsafe runs it in {@code mvn verify}, after
 * {@code package} has built {@code target/jpeer.jar}, which the script then uses as it is.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterScriptIT {
  private static final Path ROOT = projectRoot();
  private static final Path JAR = ROOT.resolve("osd-daemon/target/jpeer.jar");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final List<String> transcript = new ArrayList<>();
  private boolean passed;

  @Test
  void killedOsdIsMarkedDownAndComesBackWithHigherUpFrom() throws Exception {
    assertThat(JAR).as("the jar built by package").exists();
    int monPort = freePort();
    int osdBase = freePortBlock(100);
    run(Duration.ofSeconds(150), "up", "-n", "3", "--pgs", "8",
        "--mon-port", String.valueOf(monPort), "--osd-port-base", String.valueOf(osdBase));

    JsonNode dump = osdDump();
    assertThat(dump.path("osds")).hasSize(3);
    for (JsonNode osd : dump.path("osds")) {
      assertThat(osd.path("up").asBoolean()).as("osd.%s up", osd.path("osd")).isTrue();
      assertThat(osd.path("in").asBoolean()).as("osd.%s in", osd.path("osd")).isTrue();
    }
    assertThat(dump.path("pools").findValuesAsText("pool_name")).containsExactly("rbd");
    long epoch = dump.path("epoch").asLong();
    long upFrom = osd(dump, 1).path("up_from").asLong();

    long pid = pidOf("osd.1");
    ProcessHandle osd1 = ProcessHandle.of(pid).orElseThrow();
    osd1.destroyForcibly();
    osd1.onExit().get(20, TimeUnit.SECONDS);

    JsonNode down = waitForDump("osd.1 down", Duration.ofSeconds(30),
        d -> !osd(d, 1).path("up").asBoolean());
    assertThat(down.path("epoch").asLong()).isGreaterThan(epoch);

    run(Duration.ofSeconds(90), "start", "osd.1");
    JsonNode back = waitForDump("osd.1 up", Duration.ofSeconds(30),
        d -> osd(d, 1).path("up").asBoolean());
    assertThat(osd(back, 1).path("up_from").asLong()).isGreaterThan(upFrom);
    assertThat(pidOf("osd.1")).isNotEqualTo(pid);

    List<Long> daemons = new ArrayList<>();
    for (String name : List.of("mon.0", "osd.0", "osd.1", "osd.2")) {
      daemons.add(pidOf(name));
    }
    run(Duration.ofSeconds(60), "down");
    try (Stream<Path> pids = Files.list(dir)) {
      assertThat(pids.filter(p -> p.toString().endsWith(".pid"))).isEmpty();
    }
    for (long daemon : daemons) {
      assertThat(isRunning(daemon)).as("pid %d after down", daemon).isFalse();
    }
    passed = true;
  }

  @AfterEach
  void stopEverything(TestInfo info) throws Exception {
    try {
      run(Duration.ofSeconds(60), "down");
    } catch (AssertionError | IOException e) {
      transcript.add("cluster down failed: " + e.getMessage());
    } finally {
      killByPidFiles();
      if (!passed) {
        System.err.println("==== " + info.getDisplayName() + " failed; transcript and logs:");
        transcript.forEach(System.err::println);
        dumpLogs();
      }
    }
  }

  // ------------------------------------------------------------------ processes

  /** Runs scripts/cluster --dir DIR ARGS, failing with its output unless it exits 0 in time. */
  private String run(Duration limit, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("scripts/cluster").toString(),
        "--dir", dir.toString()));
    cmd.addAll(List.of(args));
    return exec(cmd, limit);
  }

  /** Runs CMD; returns its stdout. Its stderr goes to the transcript only. */
  private String exec(List<String> cmd, Duration limit) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "cmd", ".out");
    Path err = Files.createTempFile(dir, "cmd", ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile())
        .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().put("JPEER_SKIP_BUILD", "1");
    pb.environment().remove("JPEER_CLUSTER_DIR");
    Process p = pb.start();
    boolean done = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    if (!done) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String text = Files.readString(out, StandardCharsets.UTF_8);
    String errors = Files.readString(err, StandardCharsets.UTF_8);
    Files.delete(out);
    Files.delete(err);
    transcript.add("$ " + String.join(" ", cmd) + "\n" + text + errors);
    if (!done) {
      throw new AssertionError(String.join(" ", cmd) + ": still running after " + limit + "\n" + text + errors);
    }
    if (p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", cmd) + ": exit " + p.exitValue() + "\n" + text + errors);
    }
    return text;
  }

  private JsonNode osdDump() throws IOException, InterruptedException {
    String text = exec(List.of("java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dlogback.configurationFile=" + ROOT.resolve("conf/logback.xml"), "-Djpeer.log.level=warn",
        "-jar", JAR.toString(), "osdctl", "--dir", dir.toString(), "--json", "osd", "dump"),
        Duration.ofSeconds(30));
    return JSON.readTree(text);
  }

  private JsonNode waitForDump(String what, Duration limit, Predicate<JsonNode> ok)
      throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(limit);
    JsonNode last = null;
    long sleep = 100;
    while (Instant.now().isBefore(deadline)) {
      last = osdDump();
      if (ok.test(last)) {
        return last;
      }
      Thread.sleep(sleep);
      sleep = Math.min(sleep * 2, 1000);
    }
    throw new AssertionError(what + ": not reached in " + limit + "; last osd dump: " + last);
  }

  private static JsonNode osd(JsonNode dump, int id) {
    for (JsonNode o : dump.path("osds")) {
      if (o.path("osd").asInt(-1) == id) {
        return o;
      }
    }
    throw new AssertionError("osd." + id + " not in the map: " + dump);
  }

  private long pidOf(String name) throws IOException {
    return Long.parseLong(Files.readString(dir.resolve(name + ".pid")).trim());
  }

  /** Exists and is not a zombie: an exited daemon not yet reaped by whoever inherited it is gone. */
  private static boolean isRunning(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }

  /** Safety net: SIGKILL any daemon still named by a pid file, if its command line is ours. */
  private void killByPidFiles() throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".pid")).toList()) {
        long pid;
        try {
          pid = Long.parseLong(Files.readString(f).trim());
        } catch (NumberFormatException e) {
          continue;
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isPresent() && h.get().info().commandLine().orElse("").contains(dir.toString())) {
          transcript.add("killing leftover " + f.getFileName() + " pid " + pid);
          h.get().destroyForcibly();
          h.get().onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> null).join();
        }
      }
    }
  }

  private void dumpLogs() throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path log : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        System.err.println("---- " + log + " (last 80 lines)");
        lines.subList(Math.max(0, lines.size() - 80), lines.size()).forEach(System.err::println);
      }
    }
  }

  // ------------------------------------------------------------------ ports and paths

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static int freePortBlock(int n) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(40000, 60000 - n);
      boolean free = true;
      for (int p = base; p < base + n && free; p++) {
        try (ServerSocket s = new ServerSocket()) {
          s.setReuseAddress(true);
          s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new AssertionError("no block of " + n + " free ports in 40000-60000");
  }

  private static Path projectRoot() {
    Path here = Path.of("").toAbsolutePath();
    return Files.isDirectory(here.resolve("scripts")) ? here : here.getParent();
  }
}
