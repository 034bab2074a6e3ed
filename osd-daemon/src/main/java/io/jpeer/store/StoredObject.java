package io.jpeer.store;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** An object's data and its small attributes (the version, for one). */
public record StoredObject(byte[] data, SortedMap<String, byte[]> attrs) {
  public StoredObject {
    attrs = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(attrs));
  }

  public static StoredObject of(byte[] data, Map<String, byte[]> attrs) {
    return new StoredObject(data, new TreeMap<>(attrs));
  }
}
