package io.jpeer.osd.recovery;

import io.jpeer.core.types.Eversion;
import io.jpeer.store.StoredObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The version an object was last written at, kept in its attribute "v" (Ceph's object_info_t.version). */
public final class ObjectVersion {
  public static final String ATTR = "v";

  private ObjectVersion() {}

  /** The stored object's version, or null if it has none (or an unreadable one). */
  public static Eversion of(StoredObject o) {
    byte[] v = o.attrs().get(ATTR);
    if (v == null) {
      return null;
    }
    try {
      return Eversion.parse(new String(v, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  public static byte[] bytes(Eversion v) {
    return v.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code attrs} with the version attribute set to {@code v}. */
  public static Map<String, byte[]> withVersion(Map<String, byte[]> attrs, Eversion v) {
    java.util.HashMap<String, byte[]> m = new java.util.HashMap<>(attrs);
    m.put(ATTR, bytes(v));
    return m;
  }
}
