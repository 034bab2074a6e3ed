package io.jpeer.cli;

import io.jpeer.cli.ClusterSession.ClusterException;
import io.jpeer.mon.CommandReply;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs one monitor command for a subcommand and prints its answer: the monitor's JSON with
 * {@code --json}, its plain (Ceph-style) text otherwise; an error reply is one line on stderr.
 */
final class MonCommand {
  private MonCommand() {}

  static int run(CommandSpec spec, String prefix, Map<String, String> args) {
    Osdctl root = (Osdctl) spec.root().userObject();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String format = root.format();
    if (!Osdctl.FORMATS.contains(format)) {
      err.println("osdctl: unknown format '" + format + "' (json, json-pretty or plain)");
      err.flush();
      return 2;
    }
    try {
      CommandReply r = root.session().command(prefix, args, format);
      if (!r.ok()) {
        err.println("Error " + errnoName(r.code()) + ": " + r.status());
        err.flush();
        return 1;
      }
      String text = r.output();
      if (text == null || text.isEmpty()) {
        text = r.status();
      }
      if (text != null && !text.isEmpty()) {
        out.print(text.endsWith("\n") ? text : text + "\n");
        out.flush();
      }
      return 0;
    } catch (ClusterException e) {
      err.println(e.getMessage());
      err.flush();
      return e.exitCode;
    }
  }

  private static String errnoName(int code) {
    return switch (code) {
      case CommandReply.EINVAL -> "EINVAL";
      case CommandReply.ENOENT -> "ENOENT";
      case CommandReply.EEXIST -> "EEXIST";
      case CommandReply.EPERM -> "EPERM";
      case CommandReply.EAGAIN -> "EAGAIN";
      case CommandReply.ETIMEDOUT -> "ETIMEDOUT";
      default -> Integer.toString(code);
    };
  }
}
