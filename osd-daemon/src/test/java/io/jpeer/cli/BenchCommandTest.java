package io.jpeer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpeer.client.RadosClient;
import io.jpeer.testing.MiniCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** osdctl bench against an in-process 3-OSD cluster: what write leaves, what seq reads, cleanup. */
@Timeout(120)
class BenchCommandTest {
  @TempDir static Path dir;
  static MiniCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = MiniCluster.start(dir, 3);
    assertThat(cluster.command("pool create", Map.of("pool", "rbd", "pg_num", "8", "size", "3", "min_size", "2"))
        .ok()).isTrue();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static InProcessOsdctl.Result osdctl(String... args) {
    return InProcessOsdctl.run(cluster.monAddress(), "", args);
  }

  static int field(String out, String label) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(label) + "\\s+(\\d+)$").matcher(out);
    assertThat(m.find()).as("'" + label + "' in:\n" + out).isTrue();
    return Integer.parseInt(m.group(1));
  }

  static String prefix(String out) {
    Matcher m = Pattern.compile("(?m)^Object prefix: (\\S+)$").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    return m.group(1);
  }

  /** Written independently of BenchCommand: rados bench's content for object i. */
  static String expected(int i, int size) {
    String head = String.format("I'm the %16dth op!", i);
    return (head + "z".repeat(Math.max(0, size - head.length()))).substring(0, size);
  }

  static List<String> benchObjects(RadosClient rados) throws Exception {
    return rados.list("rbd").stream().filter(n -> n.startsWith("benchmark_")).toList();
  }

  @Test
  void writeNoCleanupLeavesItsObjectsAndSeqReadsExactlyThem() throws Exception {
    InProcessOsdctl.Result w = osdctl("bench", "rbd", "2", "write", "-b", "100", "-t", "4", "--no-cleanup");
    assertThat(w.status()).as(w.err()).isZero();
    int writes = field(w.out(), "Total writes made:");
    assertThat(writes).isPositive();
    assertThat(w.out()).contains("  sec Cur ops   started  finished").contains("p99 latency(s):");
    String prefix = prefix(w.out());
    assertThat(prefix).matches("benchmark_data_.+_" + ProcessHandle.current().pid());
    RadosClient rados = cluster.client();
    List<String> want = new java.util.ArrayList<>(IntStream.range(0, writes).mapToObj(i -> prefix + "_object" + i)
        .toList());
    want.add("benchmark_last_metadata");
    assertThat(benchObjects(rados)).containsExactlyInAnyOrderElementsOf(want);
    for (int i : new int[] {0, writes / 2, writes - 1}) {
      assertThat(new String(rados.get("rbd", prefix + "_object" + i), StandardCharsets.US_ASCII))
          .isEqualTo(expected(i, 100));
    }

    InProcessOsdctl.Result seq = osdctl("bench", "rbd", "60", "seq", "-t", "4");
    assertThat(seq.status()).as(seq.err()).isZero();
    assertThat(field(seq.out(), "Total reads made:")).isEqualTo(writes);
    assertThat(field(seq.out(), "Read size:")).isEqualTo(100);
    assertThat(seq.err()).doesNotContain("is not correct");

    // A wrong content is found: overwrite one object and read again.
    rados.put("rbd", prefix + "_object0", "tampered".getBytes(StandardCharsets.UTF_8));
    InProcessOsdctl.Result bad = osdctl("bench", "rbd", "60", "seq", "-t", "2");
    assertThat(bad.status()).isEqualTo(1);
    assertThat(bad.err()).contains(prefix + "_object0 is not correct!");

    InProcessOsdctl.Result rand = osdctl("bench", "rbd", "1", "rand", "-t", "4");
    assertThat(field(rand.out(), "Total reads made:")).isPositive();
    for (String o : want) {
      rados.remove("rbd", o);
    }
  }

  @Test
  void writeCleansUpByDefault() throws Exception {
    InProcessOsdctl.Result w = osdctl("bench", "rbd", "2", "write", "-t", "8");
    assertThat(w.status()).as(w.err()).isZero();
    int writes = field(w.out(), "Total writes made:");
    assertThat(writes).isPositive();
    assertThat(field(w.out(), "Write size:")).isEqualTo(4096);
    // Cleanup counts only deletes that found their object: each one written was still there.
    assertThat(w.out()).contains("Removed " + writes + " object");
    String prefix = prefix(w.out());
    assertThat(benchObjects(cluster.client())).noneMatch(n -> n.startsWith(prefix))
        .doesNotContain("benchmark_last_metadata");
  }

  @Test
  void maxObjectsStopsTheWriteRunAtExactlyThatCount() throws Exception {
    InProcessOsdctl.Result w = osdctl("bench", "rbd", "60", "write", "-b", "64", "-t", "4", "--max-objects", "25");
    assertThat(w.status()).as(w.err()).isZero();
    assertThat(field(w.out(), "Total writes made:")).isEqualTo(25);
    assertThat(w.out()).contains("for up to 60 seconds or 25 objects").contains("Removed 25 objects");
  }

  @Test
  void badInputIsOneLine() throws Exception {
    assertThat(cluster.command("pool create", Map.of("pool", "empty", "pg_num", "2", "size", "3", "min_size", "2"))
        .ok()).isTrue();
    InProcessOsdctl.Result noWrite = osdctl("bench", "empty", "2", "seq");
    assertThat(noWrite.status()).isEqualTo(1);
    assertThat(OsdctlClusterTest.withoutLogLines(noWrite.err())).singleElement().asString()
        .startsWith("bench: Must write data before running a read benchmark!");
    for (String[][] c : new String[][][] {
        {{"bench", "rbd", "x", "write"}, {"2"}}, {{"bench", "rbd", "2", "scan"}, {"2"}},
        {{"bench", "rbd", "2", "write", "-t", "0"}, {"2"}}, {{"bench", "rbd"}, {"2"}},
        {{"bench", "rbd", "2", "write", "--max-objects", "-1"}, {"2"}},
        {{"bench", "nopool", "2", "write"}, {"1"}}}) {
      InProcessOsdctl.Result r = osdctl(c[0]);
      List<String> err = OsdctlClusterTest.withoutLogLines(r.err());
      assertThat(r.status()).as(String.join(" ", c[0]) + ": " + err).isEqualTo(Integer.parseInt(c[1][0]));
      assertThat(err).as(String.join(" ", c[0])).hasSize(1);
    }
    assertThat(OsdctlClusterTest.withoutLogLines(osdctl("bench", "nopool", "2", "write").err()))
        .containsExactly("bench: pool 'nopool' does not exist");
  }
}
