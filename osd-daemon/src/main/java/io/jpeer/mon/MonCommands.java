package io.jpeer.mon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jpeer.config.Config;
import io.jpeer.map.OsdInfo;
import io.jpeer.map.OsdMap;
import io.jpeer.core.types.PgId;
import io.jpeer.map.Pool;
import io.jpeer.map.UpActing;
import io.jpeer.net.Connection;
import io.jpeer.net.EntityName;
import io.jpeer.proto.mon.MMonCommand;
import io.jpeer.proto.mon.MMonCommandReply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin commands (Ceph's names and reply wording where Ceph has them). Reads answer at once from
 * the committed map; changes answer once their epoch is committed. A bad command gets an error
 * reply (-EINVAL etc.) with a one-line status, never an exception out of the monitor.
 *
 * <pre>
 *   osd down|out|in  ids=N[,N...]        osd lost id=N yes_i_really_mean_it=true
 *   pool create (or osd pool create)  pool=NAME [pg_num=N] [size=N] [min_size=N]
 *   osd dump | osd tree | pg dump | status | osd pool ls | config show
 *   osd map  pool=NAME object=NAME
 * </pre>
 * Output formats: json (default), json-pretty, plain.
 */
final class MonCommands {
  private static final Logger log = LoggerFactory.getLogger(MonCommands.class);

  private final OsdMonitor mon;
  private final Config cfg;

  MonCommands(OsdMonitor mon, Config cfg) {
    this.mon = mon;
    this.cfg = cfg;
  }

  /** Thrown inside a command to reply with an error code and status. */
  private static final class CommandError extends Exception {
    final int code;

    CommandError(int code, String status) {
      super(status);
      this.code = code;
    }
  }

  void handle(Connection c, EntityName from, MMonCommand m) {
    long tid = m.getTid();
    String prefix = m.getPrefix().trim().replaceAll("\\s+", " ");
    String format = m.getFormat().isEmpty() ? "json" : m.getFormat();
    Map<String, String> args = m.getArgsMap();
    log.info("from={} cmd='{}' args={}", from, prefix, args);
    try {
      if (!List.of("json", "json-pretty", "plain").contains(format)) {
        throw new CommandError(CommandReply.EINVAL, "unknown format '" + format + "' (json, json-pretty, plain)");
      }
      switch (prefix) {
        case "osd down" -> reply(c, tid, change(args, "down"));
        case "osd out" -> reply(c, tid, change(args, "out"));
        case "osd in" -> reply(c, tid, change(args, "in"));
        case "osd lost" -> reply(c, tid, lost(args));
        case "pool create", "osd pool create" -> reply(c, tid, poolCreate(args));
        default -> {
          String out = read(prefix, args, format);
          send(c, tid, 0, "", out);
        }
      }
    } catch (CommandError e) {
      send(c, tid, e.code, e.getMessage(), "");
    } catch (RuntimeException e) {
      // A bug in a command must not take the monitor down: answer with the error and log it.
      log.error("command '{}' failed", prefix, e);
      send(c, tid, CommandReply.EINVAL, "internal error: " + e, "");
    }
  }

  /** A change's reply is sent when its epoch is committed (or at once if nothing changed). */
  private void reply(Connection c, long tid, String status) {
    mon.whenCommitted(() -> send(c, tid, 0, status, ""));
  }

  private void send(Connection c, long tid, int code, String status, String output) {
    c.send(MonMessages.MMON_COMMAND_REPLY, mon.map().epoch(), MMonCommandReply.newBuilder()
        .setTid(tid).setCode(code).setStatus(status).setOutput(output).build());
  }

  // ---- changes --------------------------------------------------------------------------------

  private String change(Map<String, String> args, String what) throws CommandError {
    List<Integer> ids = osdIds(args);
    StringBuilder status = new StringBuilder();
    for (int id : ids) {
      OsdInfo o = mon.pending().osd(id);
      if (o == null || !o.exists()) {
        throw new CommandError(CommandReply.ENOENT, "osd." + id + " does not exist");
      }
    }
    for (int id : ids) {
      OsdInfo o = mon.pending().osd(id);
      switch (what) {
        case "down" -> {
          if (mon.markDown(id, "marked down by command")) {
            status.append("marked down osd.").append(id).append(". ");
          } else {
            status.append("osd.").append(id).append(" is already down. ");
          }
        }
        case "out" -> {
          if (o.isIn()) {
            mon.pending().setOsd(o.withWeight(0.0));
            mon.autoOut().remove(id);
            mon.change("osd." + id + " out by command");
            status.append("marked out osd.").append(id).append(". ");
          } else {
            status.append("osd.").append(id).append(" is already out. ");
          }
        }
        default -> {
          if (!o.isIn()) {
            mon.pending().setOsd(o.withWeight(1.0));
            mon.autoOut().remove(id);
            mon.change("osd." + id + " in by command");
            status.append("marked in osd.").append(id).append(". ");
          } else {
            status.append("osd.").append(id).append(" is already in. ");
          }
        }
      }
    }
    return status.toString().trim();
  }

  private String lost(Map<String, String> args) throws CommandError {
    int id = intArg(args, "id", null);
    if (!"true".equals(args.get("yes_i_really_mean_it"))) {
      throw new CommandError(CommandReply.EPERM, "are you SURE? this might mean real, permanent data loss."
          + " pass yes_i_really_mean_it=true if you really do.");
    }
    OsdInfo o = mon.pending().osd(id);
    if (o == null || !o.exists()) {
      throw new CommandError(CommandReply.ENOENT, "osd." + id + " does not exist");
    }
    if (o.up()) {
      throw new CommandError(-16, "osd." + id + " is not down");
    }
    long e = mon.pending().epoch();
    mon.pending().setOsd(o.withLostAt(e));
    mon.change("osd." + id + " marked lost");
    return "marked osd lost in epoch " + e;
  }

  private String poolCreate(Map<String, String> args) throws CommandError {
    String name = args.get("pool");
    if (name == null || name.isBlank()) {
      throw new CommandError(CommandReply.EINVAL, "missing required argument 'pool' (the pool name)");
    }
    if (!name.matches("[A-Za-z0-9_.-]+")) {
      throw new CommandError(CommandReply.EINVAL, "bad pool name '" + name + "' (letters, digits, _ . -)");
    }
    if (mon.pending().poolByName(name) != null) {
      return "pool '" + name + "' already exists";
    }
    int pgNum = intArg(args, "pg_num", cfg.osdPoolDefaultPgNum());
    int size = intArg(args, "size", cfg.osdPoolDefaultSize());
    int minSize = intArg(args, "min_size", args.containsKey("size") ? Pool.defaultMinSize(size) : cfg.osdPoolDefaultMinSize());
    if (pgNum < 1 || pgNum > 65536) {
      throw new CommandError(CommandReply.EINVAL, "pg_num " + pgNum + " not in 1..65536");
    }
    if (size < 1 || size > 10) {
      throw new CommandError(CommandReply.EINVAL, "pool size " + size + " not in 1..10");
    }
    if (minSize < 1 || minSize > size) {
      throw new CommandError(CommandReply.EINVAL, "pool min_size " + minSize + " not in 1.." + size);
    }
    mon.createPool(name, pgNum, size, minSize);
    return "pool '" + name + "' created";
  }

  // ---- reads ----------------------------------------------------------------------------------

  private String read(String prefix, Map<String, String> args, String format) throws CommandError {
    OsdMap m = mon.map();
    boolean plain = format.equals("plain");
    return switch (prefix) {
      case "osd dump" -> plain ? MonReports.osdDumpPlain(m) : json(MonReports.osdDump(m), format);
      case "osd tree" -> plain ? MonReports.osdTreePlain(m) : json(MonReports.osdTree(m), format);
      case "pg dump" -> plain
          ? MonReports.pgDumpPlain(m, mon.pgStats())
          : json(MonReports.pgDump(m, mon.pgStats()), format);
      case "pg dump pgs_brief" -> plain
          ? MonReports.pgsBriefPlain(m, mon.pgStats())
          : json(MonReports.pgsBrief(m, mon.pgStats()), format);
      case "status", "health" -> plain
          ? MonReports.statusPlain(m, mon.pgStats())
          : json(MonReports.status(m, mon.pgStats()), format);
      case "osd pool ls" -> plain
          ? String.join("\n", m.pools().values().stream().map(Pool::name).toList()) + (m.pools().isEmpty() ? "" : "\n")
          : json(MonReports.JSON.valueToTree(m.pools().values().stream().map(Pool::name).toList()), format);
      case "config show" -> plain
          ? String.join("\n", cfg.show()) + "\n"
          : json(MonReports.JSON.valueToTree(cfg.showMap()), format);
      case "osd map" -> osdMap(m, args, format);
      default -> throw new CommandError(CommandReply.EINVAL, "unrecognized command '" + prefix + "'");
    };
  }

  private String osdMap(OsdMap m, Map<String, String> args, String format) throws CommandError {
    String poolName = args.getOrDefault("pool", "");
    String object = args.get("object");
    if (object == null) {
      throw new CommandError(CommandReply.EINVAL, "missing required argument 'object'");
    }
    Pool p = m.poolByName(poolName)
        .orElseThrow(() -> new CommandError(CommandReply.ENOENT, "pool '" + poolName + "' does not exist"));
    PgId pg = m.objectToPg(p.id(), object);
    UpActing ua = m.pgToUpActing(pg);
    if (format.equals("plain")) {
      return String.format("osdmap e%d pool '%s' (%d) object '%s' -> pg %d.%08x (%s) -> up (%s, p%d) acting (%s, p%d)%n",
          m.epoch(), p.name(), p.id(), object, p.id(), io.jpeer.map.Placement.strHash(object), pg,
          MonReports.list(ua.up()), ua.upPrimary(), MonReports.list(ua.acting()), ua.actingPrimary());
    }
    var n = MonReports.JSON.createObjectNode();
    n.put("epoch", m.epoch());
    n.put("pool", p.name());
    n.put("pool_id", p.id());
    n.put("objname", object);
    n.put("raw_pgid", String.format("%d.%08x", p.id(), io.jpeer.map.Placement.strHash(object)));
    n.put("pgid", pg.toString());
    ua.up().forEach(n.putArray("up")::add);
    n.put("up_primary", ua.upPrimary());
    ua.acting().forEach(n.putArray("acting")::add);
    n.put("acting_primary", ua.actingPrimary());
    return json(n, format);
  }

  private static String json(JsonNode n, String format) {
    try {
      return format.equals("json-pretty")
          ? MonReports.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n"
          : MonReports.JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print json", e);
    }
  }

  // ---- arguments ------------------------------------------------------------------------------

  /** OSD ids from "ids" (or "id"): "3", "3,4", "osd.3 osd.4". */
  private static List<Integer> osdIds(Map<String, String> args) throws CommandError {
    String v = args.containsKey("ids") ? args.get("ids") : args.get("id");
    if (v == null || v.isBlank()) {
      throw new CommandError(CommandReply.EINVAL, "missing required argument 'ids' (osd ids)");
    }
    List<Integer> out = new ArrayList<>();
    for (String s : v.trim().split("[,\\s]+")) {
      String t = s.startsWith("osd.") ? s.substring(4) : s;
      try {
        int id = Integer.parseInt(t);
        if (id < 0) {
          throw new NumberFormatException();
        }
        out.add(id);
      } catch (NumberFormatException e) {
        throw new CommandError(CommandReply.EINVAL, "invalid osd id '" + s + "'");
      }
    }
    return out;
  }

  private static int intArg(Map<String, String> args, String key, Integer def) throws CommandError {
    String v = args.get(key);
    if (v == null || v.isBlank()) {
      if (def == null) {
        throw new CommandError(CommandReply.EINVAL, "missing required argument '" + key + "'");
      }
      return def;
    }
    try {
      return Integer.parseInt(v.trim().startsWith("osd.") ? v.trim().substring(4) : v.trim());
    } catch (NumberFormatException e) {
      throw new CommandError(CommandReply.EINVAL, "argument '" + key + "': '" + v + "' is not an integer");
    }
  }
}
