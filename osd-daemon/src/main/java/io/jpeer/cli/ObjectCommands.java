package io.jpeer.cli;

import io.jpeer.cli.ClusterSession.ClusterException;
import io.jpeer.client.ClientException;
import io.jpeer.client.RadosClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** osdctl's object commands (like the rados tool): put, get, rm, ls. */
final class ObjectCommands {
  private ObjectCommands() {}

  /** Runs a client call; errors become one line on stderr and exit status 1 (2 for bad input). */
  abstract static class ObjectCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    abstract void run(RadosClient rados, PrintWriter out) throws ClientException, IOException;

    @Override
    public Integer call() {
      Osdctl root = (Osdctl) spec.root().userObject();
      PrintWriter err = spec.commandLine().getErr();
      try {
        RadosClient rados = root.session().rados();
        // --timeout N: the op (resends included) fails after N s; an OSD still holding it drops it.
        rados.setTimeout(Duration.ofSeconds(Math.max(1, root.timeoutSeconds)));
        run(rados, spec.commandLine().getOut());
        spec.commandLine().getOut().flush();
        return 0;
      } catch (ClusterException e) {
        err.println(e.getMessage());
        err.flush();
        return e.exitCode;
      } catch (ClientException e) {
        err.println(spec.name() + ": " + e.getMessage());
        err.flush();
        return 1;
      } catch (IOException e) {
        err.println(spec.name() + ": " + e.getMessage());
        err.flush();
        return 2;
      }
    }
  }

  @Command(name = "put", mixinStandardHelpOptions = true, description = "Write an object from FILE (- for stdin).")
  static final class Put extends ObjectCommand {
    @Parameters(index = "0", paramLabel = "POOL") String pool;
    @Parameters(index = "1", paramLabel = "OBJECT") String object;
    @Parameters(index = "2", paramLabel = "FILE") String file;

    @Override
    void run(RadosClient rados, PrintWriter out) throws ClientException, IOException {
      byte[] data;
      if (file.equals("-")) {
        try (InputStream in = System.in) {
          data = in.readAllBytes();
        }
      } else {
        data = Files.readAllBytes(Path.of(file));
      }
      rados.put(pool, object, data);
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Read an object to FILE (default: stdout).")
  static final class Get extends ObjectCommand {
    @Parameters(index = "0", paramLabel = "POOL") String pool;
    @Parameters(index = "1", paramLabel = "OBJECT") String object;
    @Parameters(index = "2", paramLabel = "FILE", arity = "0..1") String file;

    @Override
    void run(RadosClient rados, PrintWriter out) throws ClientException, IOException {
      byte[] data = rados.get(pool, object);
      if (file == null || file.equals("-")) {
        out.flush();
        OutputStream raw = System.out;
        raw.write(data);
        raw.flush();
      } else {
        Files.write(Path.of(file), data);
      }
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true, description = "Delete an object.")
  static final class Rm extends ObjectCommand {
    @Parameters(index = "0", paramLabel = "POOL") String pool;
    @Parameters(index = "1", paramLabel = "OBJECT") String object;

    @Override
    void run(RadosClient rados, PrintWriter out) throws ClientException {
      rados.remove(pool, object);
    }
  }

  @Command(name = "query", mixinStandardHelpOptions = true,
      description = "A PG's peering state from its primary (Ceph's pg query), with its peering history.")
  static final class PgQuery extends ObjectCommand {
    @Parameters(index = "0", paramLabel = "PGID") String pgid;

    @Override
    void run(RadosClient rados, PrintWriter out) throws ClientException, IOException {
      io.jpeer.core.types.PgId pg;
      try {
        pg = io.jpeer.core.types.PgId.parse(pgid);
      } catch (IllegalArgumentException e) {
        throw new IOException(e.getMessage());
      }
      out.println(rados.pgQuery(pg));
    }
  }

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "List a pool's objects, one per line.")
  static final class Ls extends ObjectCommand {
    @Parameters(index = "0", paramLabel = "POOL") String pool;

    @Override
    void run(RadosClient rados, PrintWriter out) throws ClientException {
      rados.list(pool).forEach(out::println);
    }
  }
}
