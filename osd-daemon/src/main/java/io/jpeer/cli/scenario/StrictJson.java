package io.jpeer.cli.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.ObjectNames;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Strict reading of scenario files: duplicate keys, unknown or missing fields, wrong types and
 * numbers with a fraction or exponent are errors, each reported as one line naming the field's
 * path ({@code local.log.entries[2].version: bad version "5'x"}).
 */
public final class StrictJson {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private StrictJson() {}

  /** Reads a file whose top level must be an object. */
  public static Obj readFile(Path file) throws ScenarioException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ScenarioException("file", "cannot read: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }
    return parse(decodeUtf8(bytes));
  }

  /** Strict UTF-8: a binary or otherwise encoded file is named as such, with where it goes wrong. */
  private static String decodeUtf8(byte[] bytes) throws ScenarioException {
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult r = dec.decode(in, out, true);
    if (r.isError()) {
      throw new ScenarioException("file", "not UTF-8 text (binary?): invalid byte at offset " + in.position());
    }
    dec.flush(out);
    out.flip();
    String text = out.toString();
    if (text.indexOf('\0') >= 0) {
      throw new ScenarioException("file", "not text (binary?): NUL byte at offset " + text.indexOf('\0'));
    }
    return text;
  }

  public static Obj parse(String text) throws ScenarioException {
    if (text.startsWith("\uFEFF")) {
      throw new ScenarioException("json", "the file starts with a byte-order mark; save it as UTF-8 without one");
    }
    if (text.isBlank()) {
      throw new ScenarioException("json", "the file is empty (expected a JSON object)");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (StreamConstraintsException e) {
      throw new ScenarioException("json", "nested too deeply (more than "
          + StreamReadConstraints.DEFAULT_MAX_DEPTH + " levels)");
    } catch (MismatchedInputException e) {
      throw new ScenarioException("json", "more than one JSON value: text follows the top-level value"
          + where(e));
    } catch (JsonProcessingException e) {
      throw new ScenarioException("json", plain(e.getOriginalMessage()) + where(e));
    } catch (IOException e) {
      throw new ScenarioException("json", "not JSON: " + plain(e.getMessage()));
    }
    if (root == null || root.isMissingNode()) {
      throw new ScenarioException("json", "the file is empty (expected a JSON object)");
    }
    if (!root.isObject()) {
      throw new ScenarioException("json", "the top level is " + kind(root) + ", not an object");
    }
    return new Obj((ObjectNode) root, "");
  }

  private static String where(JsonProcessingException e) {
    JsonLocation l = e.getLocation();
    return l == null || l.getLineNr() < 0 ? "" : " at line " + l.getLineNr() + " column " + l.getColumnNr();
  }

  /** Jackson's message without its parser advice: the first line, up to any hint about features. */
  static String plain(String msg) {
    if (msg == null) {
      return "unreadable";
    }
    int nl = msg.indexOf('\n');
    String m = nl >= 0 ? msg.substring(0, nl) : msg;
    if (m.startsWith("Non-standard token")) {
      int q = m.indexOf('\'');
      int q2 = q < 0 ? -1 : m.indexOf('\'', q + 1);
      return (q2 > q ? m.substring(q + 1, q2) : "this token") + " is not a JSON value (JSON has no NaN or Infinity)";
    }
    for (String cut : new String[] {": enable `", " (for ", ": was expecting", ": expected a valid value"}) {
      int i = m.indexOf(cut);
      if (i > 0) {
        m = m.substring(0, i);
      }
    }
    return m.replace("(code 65279 / 0xfeff)", "(byte-order mark)");
  }

  static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  /** A JSON object being read, with its path; {@link #done()} rejects fields nobody asked for. */
  public static final class Obj {
    private final ObjectNode node;
    private final String path;
    private final Set<String> seen = new LinkedHashSet<>();

    Obj(ObjectNode node, String path) {
      this.node = node;
      this.path = path;
    }

    public String path() {
      return path;
    }

    public String at(String field) {
      return join(path, field);
    }

    public boolean has(String field) {
      seen.add(field);
      return node.has(field);
    }

    private JsonNode get(String field, boolean required) throws ScenarioException {
      seen.add(field);
      JsonNode n = node.get(field);
      if (n == null && required) {
        throw new ScenarioException(at(field), "missing required field");
      }
      return n;
    }

    public String string(String field) throws ScenarioException {
      return asString(get(field, true), at(field));
    }

    public String string(String field, String dflt) throws ScenarioException {
      JsonNode n = get(field, false);
      return n == null ? dflt : asString(n, at(field));
    }

    public long integer(String field, long min, long max) throws ScenarioException {
      return asInteger(get(field, true), at(field), min, max);
    }

    public long integer(String field, long dflt, long min, long max) throws ScenarioException {
      JsonNode n = get(field, false);
      return n == null ? dflt : asInteger(n, at(field), min, max);
    }

    public boolean bool(String field, boolean dflt) throws ScenarioException {
      JsonNode n = get(field, false);
      if (n == null) {
        return dflt;
      }
      if (!n.isBoolean()) {
        throw new ScenarioException(at(field), "expected true or false, got " + kind(n));
      }
      return n.booleanValue();
    }

    public Eversion version(String field) throws ScenarioException {
      return asVersion(get(field, true), at(field));
    }

    public Eversion version(String field, Eversion dflt) throws ScenarioException {
      JsonNode n = get(field, false);
      return n == null ? dflt : asVersion(n, at(field));
    }

    public Obj object(String field) throws ScenarioException {
      return asObject(get(field, true), at(field));
    }

    /** Null when absent. */
    public Obj optObject(String field) throws ScenarioException {
      JsonNode n = get(field, false);
      return n == null ? null : asObject(n, at(field));
    }

    /** The elements of an array field (empty when absent and not required). */
    public List<JsonNode> array(String field, boolean required) throws ScenarioException {
      JsonNode n = get(field, required);
      if (n == null) {
        return List.of();
      }
      if (!n.isArray()) {
        throw new ScenarioException(at(field), "expected an array, got " + kind(n));
      }
      List<JsonNode> out = new ArrayList<>();
      n.forEach(out::add);
      return out;
    }

    /** The field names of this object, in file order (for maps keyed by name). */
    public List<String> fieldNames() {
      List<String> out = new ArrayList<>();
      Iterator<String> it = node.fieldNames();
      while (it.hasNext()) {
        String f = it.next();
        seen.add(f);
        out.add(f);
      }
      return out;
    }

    public JsonNode raw(String field) {
      seen.add(field);
      return node.get(field);
    }

    /** Rejects any field that was not read. */
    public void done() throws ScenarioException {
      Iterator<String> it = node.fieldNames();
      while (it.hasNext()) {
        String f = it.next();
        if (!seen.contains(f)) {
          throw new ScenarioException(at(f), "unknown field");
        }
      }
    }
  }

  public static Obj asObject(JsonNode n, String path) throws ScenarioException {
    if (!n.isObject()) {
      throw new ScenarioException(path, "expected an object, got " + kind(n));
    }
    return new Obj((ObjectNode) n, path);
  }

  public static String asString(JsonNode n, String path) throws ScenarioException {
    if (!n.isTextual()) {
      throw new ScenarioException(path, "expected a string, got " + kind(n));
    }
    return n.textValue();
  }

  public static long asInteger(JsonNode n, String path, long min, long max) throws ScenarioException {
    if (!n.isIntegralNumber()) {
      throw new ScenarioException(path, n.isNumber() ? "expected an integer, got " + n.asText()
          : "expected an integer, got " + kind(n));
    }
    BigInteger v = n.bigIntegerValue();
    if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new ScenarioException(path, "integer " + v + " out of range " + min + " to " + max);
    }
    return v.longValue();
  }

  public static Eversion asVersion(JsonNode n, String path) throws ScenarioException {
    String s = asString(n, path);
    try {
      return Eversion.parse(s);
    } catch (IllegalArgumentException e) {
      throw new ScenarioException(path, e.getMessage());
    }
  }

  public static String asObjectName(JsonNode n, String path) throws ScenarioException {
    String s = asString(n, path);
    return checkObjectName(s, path);
  }

  public static String checkObjectName(String s, String path) throws ScenarioException {
    String why = ObjectNames.invalidReason(s);
    if (why != null) {
      throw new ScenarioException(path, why + ": \"" + s + "\"");
    }
    return s;
  }

  static String kind(JsonNode n) {
    if (n.isTextual()) {
      return "a string";
    }
    if (n.isNumber()) {
      return "a number";
    }
    if (n.isBoolean()) {
      return "a boolean";
    }
    if (n.isNull()) {
      return "null";
    }
    if (n.isArray()) {
      return "an array";
    }
    return "an object";
  }
}
