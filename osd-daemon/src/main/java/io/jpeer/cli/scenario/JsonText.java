package io.jpeer.cli.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Prints JSON trees in the scenario tools' two forms: indented by two spaces (one result) or
 * compact on one line (several files, one result per line). Keys keep insertion order.
 */
public final class JsonText {
  public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonText() {}

  public static String pretty(JsonNode n) {
    StringBuilder sb = new StringBuilder();
    write(sb, n, 0, true);
    return sb.toString();
  }

  public static String compact(JsonNode n) {
    StringBuilder sb = new StringBuilder();
    write(sb, n, 0, false);
    return sb.toString();
  }

  /** The error object printed in place of a result when one of several files fails. */
  public static ObjectNode errorObject(String file, String message) {
    ObjectNode o = NODES.objectNode();
    o.put("file", file);
    o.put("error", message);
    return o;
  }

  private static void write(StringBuilder sb, JsonNode n, int depth, boolean pretty) {
    if (n.isObject()) {
      if (n.isEmpty()) {
        sb.append("{}");
        return;
      }
      sb.append('{');
      Iterator<Map.Entry<String, JsonNode>> it = n.fields();
      boolean first = true;
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> f = it.next();
        if (!first) {
          sb.append(',');
          if (!pretty) {
            sb.append(' ');
          }
        }
        first = false;
        newline(sb, depth + 1, pretty);
        sb.append(TextNode.valueOf(f.getKey()).toString()).append(": ");
        write(sb, f.getValue(), depth + 1, pretty);
      }
      newline(sb, depth, pretty);
      sb.append('}');
    } else if (n.isArray()) {
      if (n.isEmpty()) {
        sb.append("[]");
        return;
      }
      sb.append('[');
      boolean first = true;
      for (JsonNode e : n) {
        if (!first) {
          sb.append(',');
          if (!pretty) {
            sb.append(' ');
          }
        }
        first = false;
        newline(sb, depth + 1, pretty);
        write(sb, e, depth + 1, pretty);
      }
      newline(sb, depth, pretty);
      sb.append(']');
    } else {
      sb.append(n.toString());
    }
  }

  private static void newline(StringBuilder sb, int depth, boolean pretty) {
    if (pretty) {
      sb.append('\n');
      sb.append("  ".repeat(depth));
    }
  }
}
