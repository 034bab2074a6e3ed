package io.jpeer.store;

import java.nio.file.Path;

/** Opens the store an OSD's {@code osd objectstore} names. */
public final class ObjectStores {
  private ObjectStores() {}

  /** {@code kind} is "rocksdb" (data under dir/db) or "memory"; no identity check (tools, tests). */
  public static ObjectStore open(String kind, Path dir, boolean create) throws StoreException {
    return switch (kind) {
      case "rocksdb" -> RocksDbStore.open(dir.resolve("db"), create);
      case "memory" -> new MemStore();
      default -> throw unknown(kind);
    };
  }

  /**
   * An OSD's store: created only when {@code create} (a new OSD), otherwise it must exist. One
   * recorded as another cluster's or OSD's is refused; an existing RocksDB store is checked
   * read-only first, so a store that is refused or cannot be opened is not written to.
   */
  public static ObjectStore open(String kind, Path dir, boolean create, StoreIdentity owner) throws StoreException {
    ObjectStore store;
    switch (kind) {
      case "rocksdb" -> {
        Path db = dir.resolve("db");
        if (!RocksDbStore.exists(db) && !create) {
          throw new StoreException("store " + db + (java.nio.file.Files.isDirectory(db)
              ? " is not a RocksDB database (no CURRENT file)"
              : " does not exist, and this OSD's data directory is not new: refusing to start with an empty store"));
        }
        store = RocksDbStore.open(db, create, ro -> owner.check(ro, db));
      }
      case "memory" -> store = new MemStore();
      default -> throw unknown(kind);
    }
    try {
      owner.check(store, dir);
      owner.recordIfAbsent(store);
      return store;
    } catch (StoreException e) {
      store.close();
      throw e;
    }
  }

  private static StoreException unknown(String kind) {
    return new StoreException("unknown objectstore '" + kind + "' (rocksdb or memory)");
  }
}
