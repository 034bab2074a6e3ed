package io.jpeer.store;

import java.nio.file.Path;

/** Opens the store an OSD's {@code osd objectstore} names. */
public final class ObjectStores {
  private ObjectStores() {}

  /** {@code kind} is "rocksdb" (data under dir/db) or "memory". */
  public static ObjectStore open(String kind, Path dir, boolean create) throws StoreException {
    return switch (kind) {
      case "rocksdb" -> RocksDbStore.open(dir.resolve("db"), create);
      case "memory" -> new MemStore();
      default -> throw new StoreException("unknown objectstore '" + kind + "' (rocksdb or memory)");
    };
  }
}
