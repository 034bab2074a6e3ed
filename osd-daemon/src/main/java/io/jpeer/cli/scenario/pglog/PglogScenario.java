package io.jpeer.cli.scenario.pglog;

import com.fasterxml.jackson.databind.JsonNode;
import io.jpeer.cli.scenario.ScenarioException;
import io.jpeer.cli.scenario.StrictJson;
import io.jpeer.cli.scenario.StrictJson.Obj;
import io.jpeer.core.log.LogResult;
import io.jpeer.core.log.PgLogException;
import io.jpeer.core.log.PgLogs;
import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.LogEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One {@code osdctl pglog} file: reads the operation and its state, runs the core, prints the result. */
public final class PglogScenario {
  private PglogScenario() {}

  public static JsonNode run(Path file) throws ScenarioException {
    return run(StrictJson.readFile(file));
  }

  public static JsonNode run(Obj top) throws ScenarioException {
    String op = top.string("op");
    top.string("description", "");
    LogResult result;
    try {
      result = switch (op) {
        case "merge_log" -> {
          PglogFormat.Shard local = PglogFormat.readShard(top.object("local"), true);
          PglogFormat.Shard auth = PglogFormat.readShard(top.object("authoritative"), false);
          top.done();
          yield PgLogs.mergeLog(local.log(), local.info(), local.missing(), auth.log(), auth.info());
        }
        case "rewind_divergent_log" -> {
          PglogFormat.Shard local = PglogFormat.readShard(top.object("local"), true);
          Eversion newHead = top.version("newhead");
          top.done();
          yield PgLogs.rewindDivergentLog(local.log(), local.info(), local.missing(), newHead);
        }
        case "proc_replica_log" -> {
          PglogFormat.Shard primary = PglogFormat.readShard(top.object("primary"), false);
          PglogFormat.Shard replica = PglogFormat.readShard(top.object("replica"), true);
          boolean activate = top.bool("activate", false);
          top.done();
          yield PgLogs.procReplicaLog(primary.log(), primary.info(), replica.log(), replica.info(),
              replica.missing(), activate);
        }
        case "merge_divergent_entries" -> {
          PglogFormat.Shard local = PglogFormat.readShard(top.object("local"), true);
          List<JsonNode> raw = top.array("divergent", true);
          List<LogEntry> divergent = new ArrayList<>();
          for (int i = 0; i < raw.size(); i++) {
            divergent.add(PglogFormat.readEntry(StrictJson.asObject(raw.get(i), top.at("divergent[" + i + "]"))));
          }
          Eversion crt = top.version("can_rollback_to", local.log().canRollbackTo());
          top.done();
          yield PgLogs.mergeDivergentEntries(local.log(), local.info(), local.missing(), divergent, crt);
        }
        case "trim" -> {
          PglogFormat.Shard local = PglogFormat.readShard(top.object("local"), true);
          Eversion trimTo = top.version("trim_to");
          top.done();
          yield PgLogs.trim(local.log(), local.info(), local.missing(), trimTo);
        }
        default -> throw new ScenarioException(top.at("op"), "unknown op \"" + op + "\" (expected merge_log, "
            + "proc_replica_log, rewind_divergent_log, merge_divergent_entries or trim)");
      };
    } catch (PgLogException e) {
      String msg = e.getMessage();
      int colon = msg.indexOf(": ");
      throw new ScenarioException(op, colon >= 0 ? msg.substring(colon + 2) : msg);
    }
    return PglogFormat.resultJson(op, result);
  }
}
