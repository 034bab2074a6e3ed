package io.jpeer.mon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpeer.map.OsdInfo;
import io.jpeer.map.OsdMap;
import io.jpeer.core.types.PgId;
import io.jpeer.map.Pool;
import io.jpeer.map.UpActing;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The read-only reports ({@code osd dump}, {@code osd tree}, {@code pg dump}, {@code status}) in
 * Ceph's JSON shapes (field names as Ceph prints them, see the samples) and plain-text layouts.
 * Pure functions of a map and the PG stats table.
 */
final class MonReports {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxx").withZone(ZoneOffset.UTC);

  private MonReports() {}

  static String stamp(Instant t) {
    return STAMP.format(t);
  }

  /** One PG as reports show it: the stat's view if there is one, else "unknown" with the map's sets. */
  record PgRow(PgId pgid, String state, UpActing map, PgStat stat) {
    List<Integer> up() {
      return stat != null ? stat.up() : map.up();
    }

    List<Integer> acting() {
      return stat != null ? stat.acting() : map.acting();
    }

    int upPrimary() {
      return stat != null ? stat.upPrimary() : map.upPrimary();
    }

    int actingPrimary() {
      return stat != null ? stat.actingPrimary() : map.actingPrimary();
    }
  }

  /** Every PG of the map with its reported state (Ceph: PGs never reported are "unknown"). */
  static List<PgRow> pgRows(OsdMap m, PgStatsTable stats) {
    List<PgRow> rows = new ArrayList<>();
    for (PgId pg : m.allPgs()) {
      UpActing ua = m.pgToUpActing(pg);
      PgStatsTable.Entry e = stats.all().get(pg);
      if (e == null) {
        rows.add(new PgRow(pg, "unknown", ua, null));
      } else {
        // As Ceph: a PG whose reporting primary is down is stale until a new primary reports.
        String state = m.isUp(e.reporter()) ? e.stat().state() : "stale+" + e.stat().state();
        rows.add(new PgRow(pg, state, ua, e.stat()));
      }
    }
    return rows;
  }

  // ---- osd dump -------------------------------------------------------------------------------

  static ObjectNode osdDump(OsdMap m) {
    ObjectNode root = JSON.createObjectNode();
    root.put("epoch", m.epoch());
    root.put("fsid", m.fsid());
    root.put("created", stamp(m.created()));
    root.put("modified", stamp(m.modified()));
    root.put("flags", "");
    root.put("pool_max", m.poolMax());
    root.put("max_osd", m.maxOsd());
    ArrayNode pools = root.putArray("pools");
    for (Pool p : m.pools().values()) {
      ObjectNode n = pools.addObject();
      n.put("pool", p.id());
      n.put("pool_name", p.name());
      n.put("create_time", stamp(p.createTime()));
      n.put("type", p.type());
      n.put("size", p.size());
      n.put("min_size", p.minSize());
      n.put("crush_rule", p.crushRule());
      n.put("object_hash", 2);
      n.put("pg_num", p.pgNum());
      n.put("pg_placement_num", p.pgNum());
      n.put("last_change", Long.toString(p.lastChange()));
    }
    ArrayNode osds = root.putArray("osds");
    for (OsdInfo o : m.osds().values()) {
      ObjectNode n = osds.addObject();
      n.put("osd", o.id());
      n.put("up", o.up() ? 1 : 0);
      n.put("in", o.isIn() ? 1 : 0);
      putNumber(n, "weight", o.weight());
      n.put("primary_affinity", 1);
      n.put("last_clean_begin", o.lastCleanBegin());
      n.put("last_clean_end", o.lastCleanEnd());
      n.put("up_from", o.upFrom());
      n.put("up_thru", o.upThru());
      n.put("down_at", o.downAt());
      n.put("lost_at", o.lostAt());
      n.put("public_addr", o.addr().isEmpty() ? "(unrecognized address)" : o.addr() + "/0");
      ArrayNode st = n.putArray("state");
      o.stateNames().forEach(st::add);
    }
    ArrayNode temps = root.putArray("pg_temp");
    m.pgTemp().forEach((pg, v) -> {
      ObjectNode n = temps.addObject();
      n.put("pgid", pg.toString());
      ArrayNode a = n.putArray("osds");
      v.forEach(a::add);
    });
    root.putArray("primary_temp");
    return root;
  }

  static String osdDumpPlain(OsdMap m) {
    StringBuilder b = new StringBuilder();
    b.append("epoch ").append(m.epoch()).append('\n');
    b.append("fsid ").append(m.fsid()).append('\n');
    b.append("created ").append(stamp(m.created())).append('\n');
    b.append("modified ").append(stamp(m.modified())).append('\n');
    for (Pool p : m.pools().values()) {
      b.append(String.format("pool %d '%s' replicated size %d min_size %d crush_rule %d object_hash rjenkins"
          + " pg_num %d pgp_num %d autoscale_mode off last_change %d%n",
          p.id(), p.name(), p.size(), p.minSize(), p.crushRule(), p.pgNum(), p.pgNum(), p.lastChange()));
    }
    b.append("max_osd ").append(m.maxOsd()).append('\n');
    for (OsdInfo o : m.osds().values()) {
      b.append(String.format("osd.%d %-4s %-3s weight %s up_from %d up_thru %d down_at %d last_clean_interval [%d,%d) %s %s%n",
          o.id(), o.up() ? "up" : "down", o.isIn() ? "in" : "out", num(o.weight()), o.upFrom(), o.upThru(),
          o.downAt(), o.lastCleanBegin(), o.lastCleanEnd(), o.addr().isEmpty() ? "-" : o.addr() + "/0",
          String.join(",", o.stateNames())));
    }
    m.pgTemp().forEach((pg, v) -> b.append("pg_temp ").append(pg).append(' ').append(list(v)).append('\n'));
    return b.toString();
  }

  // ---- osd tree -------------------------------------------------------------------------------

  static ObjectNode osdTree(OsdMap m) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode nodes = root.putArray("nodes");
    List<OsdInfo> osds = m.osds().values().stream().filter(OsdInfo::exists).toList();
    ObjectNode r = nodes.addObject();
    r.put("id", -1);
    r.put("name", "default");
    r.put("type", "root");
    r.put("type_id", 11);
    r.putArray("children").add(-2);
    ObjectNode h = nodes.addObject();
    h.put("id", -2);
    h.put("name", "localhost");
    h.put("type", "host");
    h.put("type_id", 1);
    h.put("pool_weights", JSON.createObjectNode());
    ArrayNode ch = h.putArray("children");
    // Ceph lists a bucket's children newest first.
    for (int i = osds.size() - 1; i >= 0; i--) {
      ch.add(osds.get(i).id());
    }
    for (OsdInfo o : osds) {
      ObjectNode n = nodes.addObject();
      n.put("id", o.id());
      n.put("device_class", "hdd");
      n.put("name", "osd." + o.id());
      n.put("type", "osd");
      n.put("type_id", 0);
      putNumber(n, "crush_weight", 1.0);
      n.put("depth", 2);
      n.put("pool_weights", JSON.createObjectNode());
      n.put("exists", 1);
      n.put("status", o.up() ? "up" : "down");
      putNumber(n, "reweight", o.weight());
      n.put("primary_affinity", 1);
    }
    root.putArray("stray");
    return root;
  }

  /** Ceph's table: CLASS, WEIGHT, STATUS and the weights right-aligned, names indented by depth. */
  static String osdTreePlain(OsdMap m) {
    List<OsdInfo> osds = m.osds().values().stream().filter(OsdInfo::exists).toList();
    TextTable t = new TextTable().column("ID", TextTable.Align.RIGHT).column("CLASS", TextTable.Align.RIGHT)
        .column("WEIGHT", TextTable.Align.RIGHT).column("TYPE NAME", TextTable.Align.LEFT)
        .column("STATUS", TextTable.Align.RIGHT).column("REWEIGHT", TextTable.Align.RIGHT)
        .column("PRI-AFF", TextTable.Align.RIGHT);
    String total = weight5(osds.size());
    t.row(-1, "", total, "root default", "", "", "");
    t.row(-2, "", total, "    host localhost", "", "", "");
    for (OsdInfo o : osds) {
      t.row(o.id(), "hdd", weight5(1.0), "        osd." + o.id(), o.up() ? "up" : "down", weight5(o.weight()),
          weight5(1.0));
    }
    return t.toString();
  }

  private static String weight5(double w) {
    return String.format(Locale.ROOT, "%.5f", w);
  }

  // ---- pg dump --------------------------------------------------------------------------------

  static ObjectNode pgDump(OsdMap m, PgStatsTable stats) {
    ObjectNode root = JSON.createObjectNode();
    root.put("pg_ready", true);
    root.put("epoch", m.epoch());
    ArrayNode arr = root.putArray("pg_stats");
    for (PgRow r : pgRows(m, stats)) {
      ObjectNode n = arr.addObject();
      n.put("pgid", r.pgid().toString());
      n.put("state", r.state());
      PgStat s = r.stat();
      List<Integer> up = s != null ? s.up() : r.map().up();
      List<Integer> acting = s != null ? s.acting() : r.map().acting();
      ArrayNode u = n.putArray("up");
      up.forEach(u::add);
      ArrayNode a = n.putArray("acting");
      acting.forEach(a::add);
      n.put("up_primary", s != null ? s.upPrimary() : r.map().upPrimary());
      n.put("acting_primary", s != null ? s.actingPrimary() : r.map().actingPrimary());
      n.put("version", s != null ? s.lastUpdate() : "0'0"); // Ceph's pg_stat_t name for last_update
      n.put("last_update", s != null ? s.lastUpdate() : "0'0");
      n.put("reported_epoch", s != null ? s.reportedEpoch() : 0);
      n.put("log_size", s != null ? s.logSize() : 0);
      n.put("last_epoch_clean", s != null ? s.lastEpochClean() : 0);
      ObjectNode sum = n.putObject("stat_sum");
      sum.put("num_objects", s != null ? s.numObjects() : 0);
      sum.put("num_objects_missing", s != null ? s.numObjectsMissing() : 0);
      sum.put("num_objects_degraded", s != null ? s.numObjectsDegraded() : 0);
      sum.put("num_objects_misplaced", s != null ? s.numObjectsMisplaced() : 0);
      sum.put("num_objects_recovered", s != null ? s.numObjectsRecovered() : 0);
      sum.put("num_bytes_recovered", s != null ? s.numBytesRecovered() : 0);
    }
    return root;
  }

  /** {@code pg dump pgs_brief}: only what the map and the state say, as Ceph's brief dump. */
  static ObjectNode pgsBrief(OsdMap m, PgStatsTable stats) {
    ObjectNode root = JSON.createObjectNode();
    root.put("pg_ready", true);
    ArrayNode arr = root.putArray("pg_stats");
    for (PgRow r : pgRows(m, stats)) {
      ObjectNode n = arr.addObject();
      n.put("pgid", r.pgid().toString());
      n.put("state", r.state());
      r.up().forEach(n.putArray("up")::add);
      r.acting().forEach(n.putArray("acting")::add);
      n.put("up_primary", r.upPrimary());
      n.put("acting_primary", r.actingPrimary());
    }
    return root;
  }

  static String pgsBriefPlain(OsdMap m, PgStatsTable stats) {
    TextTable t = new TextTable().column("PG_STAT", TextTable.Align.LEFT).column("STATE", TextTable.Align.LEFT)
        .column("UP", TextTable.Align.LEFT).column("UP_PRIMARY", TextTable.Align.RIGHT)
        .column("ACTING", TextTable.Align.LEFT).column("ACTING_PRIMARY", TextTable.Align.RIGHT);
    for (PgRow r : pgRows(m, stats)) {
      t.row(r.pgid(), r.state(), list(r.up()), r.upPrimary(), list(r.acting()), r.actingPrimary());
    }
    return t.toString();
  }

  /**
   * {@code pg dump}: Ceph's columns, in Ceph's order, for what a PgStat carries (no bytes, omap,
   * scrub or stamp columns). REPORTED is the reported epoch alone: there is no report sequence.
   */
  static String pgDumpPlain(OsdMap m, PgStatsTable stats) {
    TextTable t = new TextTable().column("PG_STAT", TextTable.Align.LEFT).column("OBJECTS", TextTable.Align.RIGHT)
        .column("MISSING_ON_PRIMARY", TextTable.Align.RIGHT).column("DEGRADED", TextTable.Align.RIGHT)
        .column("MISPLACED", TextTable.Align.RIGHT).column("LOG", TextTable.Align.RIGHT).column("STATE", TextTable.Align.LEFT)
        .column("VERSION", TextTable.Align.RIGHT).column("REPORTED", TextTable.Align.RIGHT)
        .column("UP", TextTable.Align.RIGHT).column("UP_PRIMARY", TextTable.Align.RIGHT)
        .column("ACTING", TextTable.Align.RIGHT).column("ACTING_PRIMARY", TextTable.Align.RIGHT)
        .column("LAST_EPOCH_CLEAN", TextTable.Align.RIGHT);
    for (PgRow r : pgRows(m, stats)) {
      PgStat s = r.stat();
      t.row(r.pgid(), s != null ? s.numObjects() : 0, s != null ? s.numObjectsMissing() : 0,
          s != null ? s.numObjectsDegraded() : 0, s != null ? s.numObjectsMisplaced() : 0,
          s != null ? s.logSize() : 0, r.state(),
          s != null ? s.lastUpdate() : "0'0", s != null ? s.reportedEpoch() : 0, list(r.up()), r.upPrimary(),
          list(r.acting()), r.actingPrimary(), s != null ? s.lastEpochClean() : 0);
    }
    return t.toString();
  }

  // ---- status ---------------------------------------------------------------------------------

  /** Counts behind {@code status}: states, objects, health checks. */
  record Summary(Map<String, Integer> byState, int numPgs, long objects, long degraded, long misplaced,
      long copies, int pgsDegraded, int pgsUndersized, int pgsInactive, int pgsStale, int remapped,
      long recovered, long bytesRecovered, RecoveryRate.Rate recovery, Map<String, String[]> checks) {}

  static Summary summarize(OsdMap m, PgStatsTable stats) {
    Map<String, Integer> byState = new TreeMap<>();
    long objects = 0;
    long degraded = 0;
    long misplaced = 0;
    long recovered = 0;
    long bytesRecovered = 0;
    long copies = 0;
    int pgsDegraded = 0;
    int pgsUndersized = 0;
    int pgsInactive = 0;
    int pgsStale = 0;
    int remapped = 0;
    List<PgRow> rows = pgRows(m, stats);
    for (PgRow r : rows) {
      byState.merge(r.state(), 1, Integer::sum);
      List<String> parts = List.of(r.state().split("\\+"));
      if (!parts.contains("active")) {
        pgsInactive++;
      }
      if (parts.contains("stale")) {
        pgsStale++;
      }
      if (parts.contains("degraded")) {
        pgsDegraded++;
      }
      if (parts.contains("undersized")) {
        pgsUndersized++;
      }
      if (!r.map().acting().equals(r.map().up())) {
        remapped++;
      }
      if (r.stat() != null) {
        objects += r.stat().numObjects();
        degraded += r.stat().numObjectsDegraded();
        misplaced += r.stat().numObjectsMisplaced();
        recovered += r.stat().numObjectsRecovered();
        bytesRecovered += r.stat().numBytesRecovered();
        copies += r.stat().numObjects() * m.pools().get(r.pgid().pool()).size();
      }
    }
    Map<String, String[]> checks = new LinkedHashMap<>();
    int down = m.numOsds() - m.numUpOsds();
    if (down > 0) {
      checks.put("OSD_DOWN", new String[] {down + " osds down", Integer.toString(down)});
    }
    if (pgsInactive > 0 || pgsStale > 0) {
      List<String> parts = new ArrayList<>();
      if (pgsInactive > 0) {
        parts.add(pgsInactive + " pgs inactive");
      }
      if (pgsStale > 0) {
        parts.add(pgsStale + " pgs stale");
      }
      checks.put("PG_AVAILABILITY", new String[] {"Reduced data availability: " + String.join(", ", parts),
          Integer.toString(pgsInactive + pgsStale)});
    }
    if (pgsDegraded > 0 || pgsUndersized > 0) {
      List<String> parts = new ArrayList<>();
      if (degraded > 0) {
        parts.add(String.format(Locale.ROOT, "%d/%d objects degraded (%.3f%%)", degraded, copies,
            copies == 0 ? 0.0 : 100.0 * degraded / copies));
      }
      if (pgsDegraded > 0) {
        parts.add(pgsDegraded + " pgs degraded");
      }
      if (pgsUndersized > 0) {
        parts.add(pgsUndersized + " pgs undersized");
      }
      checks.put("PG_DEGRADED", new String[] {"Degraded data redundancy: " + String.join(", ", parts),
          Integer.toString(Math.max(pgsDegraded, pgsUndersized))});
    }
    if (misplaced > 0) {
      checks.put("OBJECT_MISPLACED", new String[] {String.format(Locale.ROOT, "%d/%d objects misplaced (%.3f%%)",
          misplaced, copies, copies == 0 ? 0.0 : 100.0 * misplaced / copies), "1"});
    }
    return new Summary(byState, rows.size(), objects, degraded, misplaced, copies, pgsDegraded, pgsUndersized,
        pgsInactive, pgsStale, remapped, recovered, bytesRecovered, stats.recoveryRate(), checks);
  }

  static ObjectNode status(OsdMap m, PgStatsTable stats) {
    Summary s = summarize(m, stats);
    ObjectNode root = JSON.createObjectNode();
    root.put("fsid", m.fsid());
    ObjectNode health = root.putObject("health");
    health.put("status", s.checks().isEmpty() ? "HEALTH_OK" : "HEALTH_WARN");
    ObjectNode checks = health.putObject("checks");
    s.checks().forEach((name, v) -> {
      ObjectNode c = checks.putObject(name);
      c.put("severity", "HEALTH_WARN");
      ObjectNode sum = c.putObject("summary");
      sum.put("message", v[0]);
      sum.put("count", Integer.parseInt(v[1]));
      c.put("muted", false);
    });
    health.putArray("mutes");
    root.putArray("quorum").add(0);
    root.putArray("quorum_names").add("0");
    ObjectNode osdmap = root.putObject("osdmap");
    osdmap.put("epoch", m.epoch());
    osdmap.put("num_osds", m.numOsds());
    osdmap.put("num_up_osds", m.numUpOsds());
    osdmap.put("num_in_osds", m.numInOsds());
    osdmap.put("num_remapped_pgs", s.remapped());
    ObjectNode pgmap = root.putObject("pgmap");
    ArrayNode by = pgmap.putArray("pgs_by_state");
    s.byState().entrySet().stream()
        .sorted((a, b) -> b.getValue() - a.getValue() != 0 ? b.getValue() - a.getValue() : a.getKey().compareTo(b.getKey()))
        .forEach(e -> {
          ObjectNode n = by.addObject();
          n.put("state_name", e.getKey());
          n.put("count", e.getValue());
        });
    pgmap.put("num_pgs", s.numPgs());
    pgmap.put("num_pools", m.pools().size());
    pgmap.put("num_objects", s.objects());
    if (s.degraded() > 0) {
      pgmap.put("degraded_objects", s.degraded());
      pgmap.put("degraded_total", s.copies());
      pgmap.put("degraded_ratio", s.copies() == 0 ? 0.0 : (double) s.degraded() / s.copies());
    }
    if (s.misplaced() > 0) {
      pgmap.put("misplaced_objects", s.misplaced());
      pgmap.put("misplaced_total", s.copies());
      pgmap.put("misplaced_ratio", s.copies() == 0 ? 0.0 : (double) s.misplaced() / s.copies());
    }
    if (!s.recovery().isZero()) {
      pgmap.put("recovering_objects_per_sec", Math.round(s.recovery().objectsPerSec()));
      pgmap.put("recovering_bytes_per_sec", Math.round(s.recovery().bytesPerSec()));
      pgmap.put("num_objects_recovered", s.recovered());
      pgmap.put("num_bytes_recovered", s.bytesRecovered());
    }
    return root;
  }

  static String statusPlain(OsdMap m, PgStatsTable stats) {
    Summary s = summarize(m, stats);
    StringBuilder b = new StringBuilder();
    b.append("  cluster:\n");
    b.append("    id:     ").append(m.fsid()).append('\n');
    b.append("    health: ").append(s.checks().isEmpty() ? "HEALTH_OK" : "HEALTH_WARN").append('\n');
    s.checks().values().forEach(v -> b.append("            ").append(v[0]).append('\n'));
    b.append(" \n  services:\n");
    b.append("    mon: 1 daemons, quorum 0\n");
    b.append(String.format("    osd: %d osds: %d up, %d in%n", m.numOsds(), m.numUpOsds(), m.numInOsds()));
    b.append(" \n  data:\n");
    b.append(String.format("    pools:   %d pools, %d pgs%n", m.pools().size(), s.numPgs()));
    b.append(String.format("    objects: %d objects%n", s.objects()));
    String indent = "    pgs:     ";
    if (s.degraded() > 0) {
      b.append(indent).append(String.format(Locale.ROOT, "%d/%d objects degraded (%.3f%%)%n", s.degraded(),
          s.copies(), 100.0 * s.degraded() / s.copies()));
      indent = "             ";
    }
    if (s.misplaced() > 0) {
      b.append(indent).append(String.format(Locale.ROOT, "%d/%d objects misplaced (%.3f%%)%n", s.misplaced(),
          s.copies(), 100.0 * s.misplaced() / s.copies()));
      indent = "             ";
    }
    int w = s.byState().values().stream().mapToInt(c -> Integer.toString(c).length()).max().orElse(1);
    for (var e : s.byState().entrySet().stream()
        .sorted((a, c) -> c.getValue() - a.getValue() != 0 ? c.getValue() - a.getValue() : a.getKey().compareTo(c.getKey()))
        .toList()) {
      b.append(indent).append(String.format("%-" + w + "d %s%n", e.getValue(), e.getKey()));
      indent = "             ";
    }
    if (!s.recovery().isZero()) {
      b.append(" \n  io:\n");
      b.append(String.format(Locale.ROOT, "    recovery: %s/s, %s objects/s%n", bytes(s.recovery().bytesPerSec()),
          rate(s.recovery().objectsPerSec())));
    }
    b.append(" \n");
    return b.toString();
  }

  /** Ceph's byte units: B, KiB, MiB, GiB; one decimal below 10. */
  static String bytes(double b) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (b >= 1024 && u < units.length - 1) {
      b /= 1024;
      u++;
    }
    return rate(b) + " " + units[u];
  }

  private static String rate(double v) {
    return v < 10 && v != Math.rint(v) ? String.format(Locale.ROOT, "%.1f", v) : Long.toString(Math.round(v));
  }

  static String list(List<Integer> v) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < v.size(); i++) {
      b.append(i == 0 ? "" : ",").append(v.get(i));
    }
    return b.append(']').toString();
  }

  /** Ceph's JSON prints a whole weight as an integer ({@code "weight": 1}), others as decimals. */
  static void putNumber(ObjectNode n, String key, double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      n.put(key, (long) d);
    } else {
      n.put(key, d);
    }
  }

  private static String num(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
