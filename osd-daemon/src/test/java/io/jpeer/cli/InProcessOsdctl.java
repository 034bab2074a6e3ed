package io.jpeer.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs osdctl in this JVM against a monitor, with its standard streams captured (tests only). */
final class InProcessOsdctl {
  record Result(int status, String out, String err) {}

  private InProcessOsdctl() {}

  /** osdctl --mon MON ARGS..., reading {@code stdin}; one at a time (the streams are global). */
  static synchronized Result run(String mon, String stdin, String... args) {
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
      all[1] = mon;
      System.arraycopy(args, 0, all, 2, args.length);
      int rc = Osdctl.run(all);
      return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
      System.setIn(oldIn);
    }
  }
}
