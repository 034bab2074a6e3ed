package io.jpeer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpeer.testing.MiniCluster;
import java.io.ByteArrayOutputStream;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
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

  static InProcessOsdctl.Result osdctl(String stdin, String... args) {
    return InProcessOsdctl.run(cluster.monAddress(), stdin, args);
  }

  /** The in-process daemons log to the same stderr; keep only what osdctl printed. */
  static java.util.List<String> withoutLogLines(String err) {
    return err.lines().filter(l -> !l.matches("^\\d{4}-\\d\\d-\\d\\dT.*")).toList();
  }

  @Test
  void poolCreateThenOsdDumpHasCephFields() throws Exception {
    InProcessOsdctl.Result created = osdctl("", "pool", "create", "rbd", "8", "3", "2");
    assertThat(created.status()).as(created.err()).isZero();
    InProcessOsdctl.Result r = osdctl("", "--json", "osd", "dump");
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
    InProcessOsdctl.Result plain = osdctl("", "status");
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
    InProcessOsdctl.Result unknown = osdctl("", "osd", "down", "99");
    assertThat(unknown.status()).isNotZero();
    assertThat(withoutLogLines(unknown.err())).containsExactly("Error ENOENT: osd.99 does not exist");
    InProcessOsdctl.Result usage = osdctl("", "pool", "create", "x", "notanumber");
    assertThat(usage.status()).isEqualTo(2);
  }

  @Test
  void batchRunsEveryLineAndReportsFailuresByLineNumber() {
    InProcessOsdctl.Result r = osdctl("osd tree\n\n# a comment\nosd down 42\n--json osd dump\nbogus\nosd dump --json\n"
        + "pglog /nonexistent/scenario.json\n", "-");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out()).contains("osd.0").contains("\"epoch\"");
    List<String> err = withoutLogLines(r.err());
    assertThat(err).anyMatch(l -> l.startsWith("line 4: "));
    assertThat(err).contains("line 6: osdctl: unknown command 'bogus' (see osdctl --help)");
    assertThat(err).anyMatch(l -> l.startsWith("line 8: ") && l.contains("/nonexistent/scenario.json"));
    assertThat(err).noneMatch(l -> l.startsWith("line 1:") || l.startsWith("line 5:") || l.startsWith("line 7:"));
    // Every error line carries its line number; only the summary does not.
    assertThat(err).allMatch(l -> l.matches("line \\d+: .*") || l.equals("3 of the commands failed"));
  }

  @Test
  void formatOptionsWorkBeforeAndAfterTheCommand() throws Exception {
    for (String[] args : new String[][] {
        {"--json", "osd", "dump"}, {"osd", "dump", "--json"}, {"osd", "--json", "dump"}, {"-f", "json", "osd", "dump"},
        {"osd", "dump", "-f", "json"}, {"osd", "dump", "--format", "json-pretty"}, {"osd", "dump", "--format=json"}}) {
      InProcessOsdctl.Result r = osdctl("", args);
      assertThat(r.status()).as(String.join(" ", args) + ": " + r.err()).isZero();
      assertThat(JSON.readTree(r.out()).get("fsid").asText()).as(String.join(" ", args)).isEqualTo(MiniCluster.FSID);
    }
    assertThat(osdctl("", "osd", "dump", "--format", "json").out().strip()).doesNotContain("\n");
    assertThat(osdctl("", "osd", "dump", "--format", "json-pretty").out().strip()).contains("\n");
    InProcessOsdctl.Result plain = osdctl("", "--json", "osd", "dump", "--format", "plain");
    assertThat(plain.out()).startsWith("epoch ");
    InProcessOsdctl.Result pg = osdctl("", "pg", "dump", "--json");
    assertThat(pg.status()).as(pg.err()).isZero();
    assertThat(JSON.readTree(pg.out()).get("pg_stats").isArray()).isTrue();
    InProcessOsdctl.Result bad = osdctl("", "osd", "dump", "--format", "xml");
    assertThat(bad.status()).isEqualTo(2);
    assertThat(withoutLogLines(bad.err())).containsExactly("osdctl: unknown format 'xml' (json, json-pretty or plain)");
  }

  @Test
  void pgDumpPgsBriefHasCephsShape() throws Exception {
    osdctl("", "pool", "create", "brief", "4", "3");
    JsonNode brief = JSON.readTree(osdctl("", "pg", "dump", "pgs_brief", "--json").out());
    assertThat(brief.get("pg_ready").asBoolean()).isTrue();
    JsonNode first = brief.get("pg_stats").get(0);
    List<String> fields = new java.util.ArrayList<>();
    first.fieldNames().forEachRemaining(fields::add);
    // Exactly the fields of Ceph's sample (ceph-pg-dump-pgs_brief.json), in its order.
    assertThat(fields).containsExactly("pgid", "state", "up", "acting", "up_primary", "acting_primary");
    String plain = osdctl("", "pg", "dump", "pgs_brief").out();
    assertThat(plain.lines().findFirst().orElseThrow())
        .isEqualTo("PG_STAT  STATE" + " ".repeat(plain.lines().skip(1).mapToInt(l -> l.split("\\s+")[1].length())
            .max().orElseThrow() - 3) + "UP       UP_PRIMARY  ACTING   ACTING_PRIMARY");
    InProcessOsdctl.Result bad = osdctl("", "pg", "dump", "pgs_bogus");
    assertThat(bad.status()).isEqualTo(2);
    assertThat(withoutLogLines(bad.err())).containsExactly("osdctl: pg dump: unknown dump 'pgs_bogus' (all or pgs_brief)");
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
