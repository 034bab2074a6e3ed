package io.jpeer.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** osdctl's cluster commands: each asks the monitor and prints its answer (see {@link MonCommand}). */
final class ClusterCommands {
  private ClusterCommands() {}

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Cluster health, OSD counts and PG states (like `ceph -s`).")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return MonCommand.run(spec, "status", Map.of());
    }
  }

  @Command(name = "osd", mixinStandardHelpOptions = true, description = "OSD map commands.",
      subcommands = {OsdDump.class, OsdTree.class, OsdDown.class, OsdOut.class, OsdIn.class, OsdMapCmd.class})
  static final class Osd implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getErr());
      return 2;
    }
  }

  @Command(name = "dump", mixinStandardHelpOptions = true, description = "The OSD map: epoch, pools, OSDs.")
  static final class OsdDump implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return MonCommand.run(spec, "osd dump", Map.of());
    }
  }

  @Command(name = "tree", mixinStandardHelpOptions = true, description = "OSDs with weight, status and reweight.")
  static final class OsdTree implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return MonCommand.run(spec, "osd tree", Map.of());
    }
  }

  /** osd down|out|in IDS...: one map change for all the ids. */
  abstract static class OsdChange implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "ID", description = "OSD ids (3 or osd.3)")
    List<String> ids;

    abstract String prefix();

    @Override
    public Integer call() {
      return MonCommand.run(spec, prefix(), Map.of("ids", String.join(",", ids)));
    }
  }

  @Command(name = "down", mixinStandardHelpOptions = true, description = "Mark OSDs down (a live OSD boots again).")
  static final class OsdDown extends OsdChange {
    @Override
    String prefix() {
      return "osd down";
    }
  }

  @Command(name = "out", mixinStandardHelpOptions = true, description = "Mark OSDs out: their PGs move elsewhere.")
  static final class OsdOut extends OsdChange {
    @Override
    String prefix() {
      return "osd out";
    }
  }

  @Command(name = "in", mixinStandardHelpOptions = true, description = "Mark OSDs in again.")
  static final class OsdIn extends OsdChange {
    @Override
    String prefix() {
      return "osd in";
    }
  }

  @Command(name = "map", mixinStandardHelpOptions = true, description = "Where an object goes: PG, up and acting sets.")
  static final class OsdMapCmd implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "POOL") String pool;
    @Parameters(index = "1", paramLabel = "OBJECT") String object;

    @Override
    public Integer call() {
      return MonCommand.run(spec, "osd map", Map.of("pool", pool, "object", object));
    }
  }

  @Command(name = "pool", mixinStandardHelpOptions = true, description = "Pool commands.",
      subcommands = {PoolCreate.class, PoolLs.class})
  static final class Pool implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getErr());
      return 2;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a replicated pool.")
  static final class PoolCreate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1", paramLabel = "PG_NUM") int pgNum;
    @Parameters(index = "2", paramLabel = "SIZE", arity = "0..1") Integer size;
    @Parameters(index = "3", paramLabel = "MIN_SIZE", arity = "0..1") Integer minSize;

    @Override
    public Integer call() {
      Map<String, String> args = new LinkedHashMap<>();
      args.put("pool", name);
      args.put("pg_num", Integer.toString(pgNum));
      if (size != null) {
        args.put("size", size.toString());
      }
      if (minSize != null) {
        args.put("min_size", minSize.toString());
      }
      return MonCommand.run(spec, "pool create", args);
    }
  }

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "List pools.")
  static final class PoolLs implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return MonCommand.run(spec, "osd pool ls", Map.of());
    }
  }

  @Command(name = "pg", mixinStandardHelpOptions = true, description = "PG commands.", subcommands = {PgDump.class, ObjectCommands.PgQuery.class})
  static final class Pg implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getErr());
      return 2;
    }
  }

  @Command(name = "dump", mixinStandardHelpOptions = true,
      description = "Every PG: state, objects, missing, log size, version, up, acting, primaries (like `ceph pg"
          + " dump`); `pg dump pgs_brief` prints only state, up and acting.")
  static final class PgDump implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "WHAT", description = "all (default) or pgs_brief, as Ceph's dumpcontents")
    String what;

    @Override
    public Integer call() {
      if (what == null || what.equals("all")) {
        return MonCommand.run(spec, "pg dump", Map.of());
      }
      if (what.equals("pgs_brief")) {
        return MonCommand.run(spec, "pg dump pgs_brief", Map.of());
      }
      spec.commandLine().getErr().println("osdctl: pg dump: unknown dump '" + what + "' (all or pgs_brief)");
      spec.commandLine().getErr().flush();
      return 2;
    }
  }
}
