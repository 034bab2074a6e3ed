package io.jpeer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpeer.testing.MiniCluster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** osdctl's cluster commands against an in-process cluster: Ceph's JSON shapes, tables, batch mode. */
@Timeout(90)
class OsdctlClusterTest {
  @TempDir static Path dir;
  static MiniCluster cluster;
  static final ObjectMapper JSON = new ObjectMapper();

  record Result(int status, String out, String err) {}

  @BeforeAll
  static void start() throws Exception {
    cluster = MiniCluster.start(dir, 3);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static synchronized Result osdctl(String stdin, String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    InputStream oldIn = System.in;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      String[] all = new String[args.length + 2];
      all[0] = "--mon";
      all[1] = cluster.monAddress();
      System.arraycopy(args, 0, all, 2, args.length);
      int rc = Osdctl.run(all);
      return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
      System.setIn(oldIn);
    }
  }

  /** The in-process daemons log to the same stderr; keep only what osdctl printed. */
  static java.util.List<String> withoutLogLines(String err) {
    return err.lines().filter(l -> !l.matches("^\\d{4}-\\d\\d-\\d\\dT.*")).toList();
  }

  @Test
  void poolCreateThenOsdDumpHasCephFields() throws Exception {
    Result created = osdctl("", "pool", "create", "rbd", "8", "3", "2");
    assertThat(created.status()).as(created.err()).isZero();
    Result r = osdctl("", "--json", "osd", "dump");
    assertThat(r.status()).isZero();
    JsonNode d = JSON.readTree(r.out());
    assertThat(d.get("epoch").asLong()).isPositive();
    assertThat(d.get("fsid").asText()).isEqualTo(MiniCluster.FSID);
    assertThat(d.get("pools").findValuesAsText("pool_name")).contains("rbd");
    JsonNode osd0 = d.get("osds").get(0);
    for (String f : new String[] {"osd", "up", "in", "up_from", "up_thru", "down_at", "public_addr"}) {
      assertThat(osd0.has(f)).as(f).isTrue();
    }
  }

  @Test
  void statusJsonAndPlain() throws Exception {
    JsonNode s = JSON.readTree(osdctl("", "--json", "status").out());
    assertThat(s.at("/osdmap/num_osds").asInt()).isEqualTo(3);
    assertThat(s.at("/osdmap/num_up_osds").asInt()).isEqualTo(3);
    assertThat(s.at("/health/status").asText()).startsWith("HEALTH_");
    assertThat(s.at("/pgmap/pgs_by_state").isArray()).isTrue();
    Result plain = osdctl("", "status");
    assertThat(plain.out()).contains("cluster:").contains("osd: 3 osds: 3 up");
  }

  @Test
  void osdTreeAndPgDumpPlainTables() {
    osdctl("", "pool", "create", "tables", "4", "3");
    assertThat(osdctl("", "osd", "tree").out()).contains("osd.0").contains("STATUS");
    assertThat(osdctl("", "pg", "dump").out()).contains("PG_STAT").contains("ACTING_PRIMARY");
  }

  @Test
  void badCommandsFailCleanly() {
    Result unknown = osdctl("", "osd", "down", "99");
    assertThat(unknown.status()).isNotZero();
    assertThat(withoutLogLines(unknown.err())).containsExactly("Error ENOENT: osd.99 does not exist");
    Result usage = osdctl("", "pool", "create", "x", "notanumber");
    assertThat(usage.status()).isEqualTo(2);
  }

  @Test
  void batchRunsEveryLineAndReportsFailuresByLineNumber() {
    Result r = osdctl("osd tree\n\n# a comment\nosd down 42\n--json osd dump\n", "-");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out()).contains("osd.0").contains("\"epoch\"");
    assertThat(r.err()).contains("line 4: ");
    assertThat(r.err()).doesNotContain("line 1:").doesNotContain("line 5:");
  }

  @Test
  void unreachableMonitorIsOneLine() {
    PrintStream oldErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int rc;
    try {
      rc = Osdctl.run(new String[] {"--mon", "127.0.0.1:1", "--timeout", "1", "status"});
    } finally {
      System.setErr(oldErr);
    }
    assertThat(rc).isEqualTo(1);
    assertThat(withoutLogLines(err.toString(StandardCharsets.UTF_8))).hasSize(1);
  }
}
