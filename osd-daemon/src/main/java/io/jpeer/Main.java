package io.jpeer;

import io.jpeer.cli.Osdctl;
import java.util.Arrays;

/**
 * The one entry point of the runnable jar: {@code mon}, {@code osd} or {@code osdctl}, followed by
 * that program's own arguments. Scripts call it as {@code java -jar jpeer.jar osdctl status}.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length == 0) {
      System.err.println("usage: jpeer mon|osd|osdctl [ARGS...]");
      System.exit(2);
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (args[0].equals("osdctl") && System.getProperty("jpeer.log.level") == null) {
      System.setProperty("jpeer.log.level", "warn"); // a command prints results, not chatter
    }
    if ((args[0].equals("mon") || args[0].equals("osd")) && io.jpeer.config.DaemonArgs.wantsHelp(rest)) {
      System.out.print(io.jpeer.config.DaemonArgs.usage(args[0]));
      System.exit(0);
    }
    switch (args[0]) {
      case "osdctl" -> System.exit(Osdctl.run(rest));
      case "mon" -> System.exit(io.jpeer.mon.MonitorMain.run(rest));
      case "osd" -> System.exit(io.jpeer.osd.OsdMain.run(rest));
      default -> {
        System.err.println("jpeer: unknown program '" + args[0] + "' (expected mon, osd or osdctl)");
        System.exit(2);
      }
    }
  }
}
