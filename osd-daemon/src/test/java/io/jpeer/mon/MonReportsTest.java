package io.jpeer.mon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jpeer.core.types.PgId;
import io.jpeer.map.OsdInfo;
import io.jpeer.map.OsdMap;
import io.jpeer.map.Pool;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The reports' shapes against Ceph's own output (../shared/ceph-samples). */
class MonReportsTest {
  static final Instant T0 = Instant.parse("2026-11-24T19:11:46.582376Z");

  /** ceph-osd-tree.txt, verbatim (trailing blanks included). */
  static final String CEPH_OSD_TREE = ""
      + "ID  CLASS  WEIGHT   TYPE NAME      STATUS  REWEIGHT  PRI-AFF\n"
      + "-1         0.01167  root default                            \n"
      + "-3         0.01167      host vm                             \n"
      + " 0    hdd  0.00389          osd.0      up   1.00000  1.00000\n"
      + " 1    hdd  0.00389          osd.1      up   1.00000  1.00000\n"
      + " 2    hdd  0.00389          osd.2      up   1.00000  1.00000\n";

  /** The first rows of ceph-pg-dump-pgs_brief-during-recovery.txt. */
  static final String CEPH_PGS_BRIEF = ""
      + "PG_STAT  STATE                          UP       UP_PRIMARY  ACTING   ACTING_PRIMARY\n"
      + "3.1f     active+recovery_wait+degraded  [0,1,2]           0  [0,1,2]               0\n"
      + "3.1e     active+recovery_wait+degraded  [2,1,0]           2  [2,1,0]               2\n";

  static TextTable osdTreeTable() {
    return new TextTable().column("ID", TextTable.Align.RIGHT).column("CLASS", TextTable.Align.RIGHT)
        .column("WEIGHT", TextTable.Align.RIGHT).column("TYPE NAME", TextTable.Align.LEFT)
        .column("STATUS", TextTable.Align.RIGHT).column("REWEIGHT", TextTable.Align.RIGHT)
        .column("PRI-AFF", TextTable.Align.RIGHT);
  }

  @Test
  void textTableLaysOutCephsOsdTreeExactly() {
    TextTable t = osdTreeTable();
    t.row(-1, "", "0.01167", "root default", "", "", "");
    t.row(-3, "", "0.01167", "    host vm", "", "", "");
    for (int i = 0; i < 3; i++) {
      t.row(i, "hdd", "0.00389", "        osd." + i, "up", "1.00000", "1.00000");
    }
    assertThat(t.toString()).isEqualTo(CEPH_OSD_TREE);
  }

  @Test
  void textTableLaysOutCephsPgsBriefExactly() {
    TextTable t = new TextTable().column("PG_STAT", TextTable.Align.LEFT).column("STATE", TextTable.Align.LEFT)
        .column("UP", TextTable.Align.LEFT).column("UP_PRIMARY", TextTable.Align.RIGHT)
        .column("ACTING", TextTable.Align.LEFT).column("ACTING_PRIMARY", TextTable.Align.RIGHT);
    t.row("3.1f", "active+recovery_wait+degraded", "[0,1,2]", 0, "[0,1,2]", 0);
    t.row("3.1e", "active+recovery_wait+degraded", "[2,1,0]", 2, "[2,1,0]", 2);
    assertThat(t.toString()).isEqualTo(CEPH_PGS_BRIEF);
  }

  static OsdMap map() {
    Map<Integer, OsdInfo> osds = new TreeMap<>();
    osds.put(0, new OsdInfo(0, true, true, 1.0, "127.0.0.1:6800", 5, 24, 0, 0, 0, 0));
    osds.put(1, new OsdInfo(1, true, true, 1.0, "127.0.0.1:6801", 21, 24, 18, 0, 9, 17));
    osds.put(2, new OsdInfo(2, true, false, 0.5, "127.0.0.1:6802", 13, 24, 25, 0, 0, 0));
    Pool pool = new Pool(3, "samples", Pool.TYPE_REPLICATED, 3, 2, 4, 0, 27, T0);
    return new OsdMap(27, "6214e3ef-4146-472b-8149-59085d3053ad", T0, T0, osds, Map.of(3, pool), Map.of(), 3);
  }

  @Test
  void osdTreeIsCephsTable() {
    String tree = MonReports.osdTreePlain(map());
    List<String> lines = tree.lines().toList();
    assertThat(lines.get(0)).isEqualTo("ID  CLASS  WEIGHT   TYPE NAME           STATUS  REWEIGHT  PRI-AFF");
    assertThat(lines.get(1)).isEqualTo("-1         3.00000  root default                                 ");
    assertThat(lines.get(3)).isEqualTo(" 0    hdd  1.00000          osd.0           up   1.00000  1.00000");
    assertThat(lines.get(5)).isEqualTo(" 2    hdd  1.00000          osd.2         down   0.50000  1.00000");
    assertThat(lines).allMatch(l -> l.length() == lines.get(0).length());
  }

  @Test
  void osdDumpNumbersAreCephs() {
    JsonNode osds = MonReports.osdDump(map()).get("osds");
    assertThat(osds.get(0).get("weight").isIntegralNumber()).isTrue();
    assertThat(osds.get(0).get("weight").asInt()).isEqualTo(1);
    assertThat(osds.get(2).get("weight").asDouble()).isEqualTo(0.5);
    assertThat(osds.get(1).get("last_clean_begin").asLong()).isEqualTo(9);
    assertThat(osds.get(1).get("last_clean_end").asLong()).isEqualTo(17);
    assertThat(MonReports.osdDumpPlain(map())).contains(
        "osd.1 up   in  weight 1 up_from 21 up_thru 24 down_at 18 last_clean_interval [9,17) ");
    JsonNode nodes = MonReports.osdTree(map()).get("nodes");
    assertThat(nodes.get(2).get("reweight").isIntegralNumber()).isTrue();
  }

  @Test
  void pgDumpCarriesTheStatsAsCephTypesThem() {
    PgStatsTable stats = new PgStatsTable();
    stats.put(0, new PgStat(new PgId(3, 1), "active+recovery_wait+degraded", List.of(0, 1, 2), List.of(0, 1, 2), 0,
        0, "29'15", 15, 12, 3, 4, 34, 30));
    JsonNode pg = MonReports.pgDump(map(), stats).get("pg_stats").get(1);
    assertThat(pg.get("pgid").asText()).isEqualTo("3.1");
    assertThat(pg.get("reported_epoch").isIntegralNumber()).isTrue();
    assertThat(pg.get("reported_epoch").asLong()).isEqualTo(34);
    assertThat(pg.get("version").asText()).isEqualTo("29'15");
    assertThat(pg.get("log_size").asLong()).isEqualTo(15);
    assertThat(pg.at("/stat_sum/num_objects_missing").asLong()).isEqualTo(3);

    List<String> plain = MonReports.pgDumpPlain(map(), stats).lines().toList();
    assertThat(plain.get(0).split("\\s+")).containsExactly("PG_STAT", "OBJECTS", "MISSING_ON_PRIMARY", "DEGRADED",
        "MISPLACED", "LOG", "STATE", "VERSION", "REPORTED", "UP", "UP_PRIMARY", "ACTING", "ACTING_PRIMARY", "LAST_EPOCH_CLEAN");
    assertThat(plain.get(2).split("\\s+")).containsExactly("3.1", "12", "3", "4", "0", "15",
        "active+recovery_wait+degraded", "29'15", "34", "[0,1,2]", "0", "[0,1,2]", "0", "30");
    assertThat(plain.get(1)).startsWith("3.0 ").contains(" unknown ");

    JsonNode brief = MonReports.pgsBrief(map(), stats).get("pg_stats").get(1);
    assertThat(brief.size()).isEqualTo(6);
    assertThat(brief.get("state").asText()).isEqualTo("active+recovery_wait+degraded");
  }

  /** A clock the test moves. */
  static final class TestClock extends java.time.Clock {
    long millis = T0.toEpochMilli();

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  private static PgStat recovering(int pg, long degraded, long misplaced, long recovered, long bytes) {
    return new PgStat(new PgId(3, pg), "active+recovering+degraded", List.of(0, 1, 2), List.of(0, 1, 2), 0, 0,
        "29'15", 15, 100, 0, degraded, 34, 30, misplaced, recovered, bytes);
  }

  @Test
  void statusShowsMisplacedObjectsAndTheRecoveryRateAsCephDoes() {
    TestClock clock = new TestClock();
    PgStatsTable stats = new PgStatsTable(clock);
    stats.put(0, recovering(0, 50, 20, 0, 0));
    stats.put(0, recovering(1, 10, 0, 1000, 4_096_000));
    clock.millis += 2_000;
    // 2 s later: PG 3.0 recovered 300 objects (1.2 MB); 3.1 is reported by another primary, whose totals do not count.
    stats.put(0, recovering(0, 40, 10, 300, 1_228_800));
    stats.put(1, recovering(1, 10, 0, 5000, 9_000_000));
    String plain = MonReports.statusPlain(map(), stats);
    assertThat(plain).contains("            Degraded data redundancy: 50/600 objects degraded (8.333%)");
    assertThat(plain).contains("            10/600 objects misplaced (1.667%)");
    assertThat(plain).contains("    pgs:     50/600 objects degraded (8.333%)\n             10/600 objects misplaced (1.667%)\n");
    assertThat(plain).contains("  io:\n    recovery: 600 KiB/s, 150 objects/s\n");
    JsonNode pgmap = MonReports.status(map(), stats).get("pgmap");
    assertThat(pgmap.get("misplaced_objects").asLong()).isEqualTo(10);
    assertThat(pgmap.get("recovering_objects_per_sec").asLong()).isEqualTo(150);
    assertThat(pgmap.get("recovering_bytes_per_sec").asLong()).isEqualTo(614_400);
    // Once recovery stops, the rate fades out of the window.
    clock.millis += RecoveryRate.WINDOW_MILLIS + 1;
    assertThat(MonReports.statusPlain(map(), stats)).doesNotContain("recovery:");
    assertThat(MonReports.status(map(), stats).get("pgmap").has("recovering_objects_per_sec")).isFalse();
  }
}
