package io.jpeer.store;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * An OSD's local store: collections (one per PG, plus "meta"), each holding objects (data and
 * attributes, listed in byte-wise name order) and an omap of sorted keys (PG info, log entries,
 * missing items). Changes go through {@link #apply}, atomically.
 */
public interface ObjectStore extends AutoCloseable {
  void apply(Transaction t) throws StoreException;

  Optional<StoredObject> read(String coll, String name) throws StoreException;

  /** Up to {@code limit} object names after {@code after} ("" = from the start), in order. */
  List<String> list(String coll, String after, int limit) throws StoreException;

  Optional<byte[]> omapGet(String coll, String key) throws StoreException;

  /** Omap entries with keys in [from, to), in order. */
  SortedMap<String, byte[]> omapScan(String coll, String from, String to) throws StoreException;

  List<String> listCollections() throws StoreException;

  boolean collectionExists(String coll) throws StoreException;

  @Override
  void close();
}
