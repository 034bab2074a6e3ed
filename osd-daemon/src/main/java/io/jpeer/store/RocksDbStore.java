package io.jpeer.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The RocksDB store ({@code osd objectstore = rocksdb}), one database per OSD. Keys, all in the
 * default column family, keep byte-wise order within each part:
 *
 * <pre>
 *   C coll            collection marker
 *   O coll \0 name    object: attributes then data ({@link ObjectCodec})
 *   M coll \0 key     omap entry
 * </pre>
 *
 * Collection and object names never contain NUL, so a prefix scan of {@code O coll \0} lists
 * exactly one collection in name order. A transaction is one WriteBatch, synced when asked.
 */
public final class RocksDbStore implements ObjectStore {
  static {
    RocksDB.loadLibrary();
  }

  private final Path dir;
  private final RocksDB db;
  private final WriteOptions syncWrites = new WriteOptions().setSync(true);
  private final WriteOptions asyncWrites = new WriteOptions().setSync(false);

  private final boolean readOnly;
  /** The collections, read once at opening and kept with every write: each apply checks them. */
  private final java.util.Set<String> collections = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private RocksDbStore(Path dir, RocksDB db, boolean readOnly) {
    this.dir = dir;
    this.db = db;
    this.readOnly = readOnly;
    collections.addAll(scanCollections());
  }

  /** Whether {@code dir} holds a RocksDB database (its CURRENT file names the manifest). */
  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve("CURRENT"));
  }

  /**
   * Opens (creating if asked) the database in {@code dir}. An existing database is first opened
   * read-only, which writes nothing: a corrupt one is refused before RocksDB rotates its LOG or
   * writes a new OPTIONS file.
   */
  public static RocksDbStore open(Path dir, boolean create) throws StoreException {
    return open(dir, create, ro -> { });
  }

  /** What must hold of an existing database, checked on its read-only opening. */
  @FunctionalInterface
  public interface Check {
    void check(ObjectStore readOnly) throws StoreException;
  }

  /** As {@link #open(Path, boolean)}; {@code check} sees an existing database before it is opened for writing. */
  public static RocksDbStore open(Path dir, boolean create, Check check) throws StoreException {
    if (!exists(dir)) {
      if (!create) {
        throw new StoreException("store " + dir + (Files.isDirectory(dir)
            ? " is not a RocksDB database (no CURRENT file)" : " does not exist"));
      }
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new StoreException("store " + dir + ": cannot create: " + e.getMessage());
      }
    } else {
      try (RocksDbStore ro = openReadOnly(dir)) {
        check.check(ro);
      }
    }
    try (Options o = new Options().setCreateIfMissing(create)) {
      return new RocksDbStore(dir, RocksDB.open(o, dir.toString()), false);
    } catch (RocksDBException e) {
      throw openFailed(dir, e);
    }
  }

  /** Opens an existing database for reading only; nothing in {@code dir} is written. */
  public static RocksDbStore openReadOnly(Path dir) throws StoreException {
    if (!exists(dir)) {
      throw new StoreException("store " + dir + (Files.isDirectory(dir)
          ? " is not a RocksDB database (no CURRENT file)" : " does not exist"));
    }
    try (Options o = new Options()) {
      return new RocksDbStore(dir, RocksDB.openReadOnly(o, dir.toString()), true);
    } catch (RocksDBException e) {
      throw openFailed(dir, e);
    }
  }

  private static StoreException openFailed(Path dir, RocksDBException e) {
    String msg = e.getMessage() == null ? e.toString() : e.getMessage();
    if (msg.contains("lock")) {
      msg = "in use by another process (" + msg + ")";
    }
    return new StoreException("store " + dir + ": cannot open: " + msg.replace('\n', ' ').strip());
  }

  private static byte[] key(char kind, String coll, String name) {
    return (kind + coll + (name == null ? "" : "\0" + name)).getBytes(StandardCharsets.UTF_8);
  }

  private static String suffix(byte[] key, int prefixLen) {
    return new String(key, prefixLen, key.length - prefixLen, StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void apply(Transaction t) throws StoreException {
    if (readOnly) {
      throw new StoreException("store " + dir + " is open read-only");
    }
    StoreChecks.validate(t, collections);
    try (WriteBatch b = new WriteBatch()) {
      for (Transaction.Op op : t.ops()) {
        if (op instanceof Transaction.Op.CreateCollection c) {
          b.put(key('C', c.coll(), null), new byte[0]);
        } else if (op instanceof Transaction.Op.RemoveCollection c) {
          b.delete(key('C', c.coll(), null));
          b.deleteRange(key('O', c.coll(), ""), key('O', c.coll() + "\1", null));
          b.deleteRange(key('M', c.coll(), ""), key('M', c.coll() + "\1", null));
        } else if (op instanceof Transaction.Op.Write w) {
          b.put(key('O', w.coll(), w.name()), ObjectCodec.encode(w.data(), w.attrs()));
        } else if (op instanceof Transaction.Op.Remove r) {
          b.delete(key('O', r.coll(), r.name()));
        } else if (op instanceof Transaction.Op.OmapSet s) {
          b.put(key('M', s.coll(), s.key()), s.value());
        } else if (op instanceof Transaction.Op.OmapRemove r) {
          b.delete(key('M', r.coll(), r.key()));
        } else if (op instanceof Transaction.Op.OmapRemoveRange r) {
          b.deleteRange(key('M', r.coll(), r.from()), key('M', r.coll(), r.to()));
        }
      }
      db.write(t.sync() ? syncWrites : asyncWrites, b);
      for (Transaction.Op op : t.ops()) {
        if (op instanceof Transaction.Op.CreateCollection c) {
          collections.add(c.coll());
        } else if (op instanceof Transaction.Op.RemoveCollection c) {
          collections.remove(c.coll());
        }
      }
    } catch (RocksDBException e) {
      throw new StoreException("store " + dir + ": write failed: " + e.getMessage());
    }
  }

  private void requireCollection(String coll) throws StoreException {
    if (!collectionExists(coll)) {
      throw new StoreException("collection " + coll + " does not exist");
    }
  }

  @Override
  public Optional<StoredObject> read(String coll, String name) throws StoreException {
    requireCollection(coll);
    try {
      byte[] v = db.get(key('O', coll, name));
      return v == null ? Optional.empty() : Optional.of(ObjectCodec.decode(v));
    } catch (RocksDBException | IOException e) {
      throw new StoreException("store " + dir + ": read " + coll + "/" + name + " failed: " + e.getMessage());
    }
  }

  @Override
  public List<String> list(String coll, String after, int limit) throws StoreException {
    requireCollection(coll);
    byte[] prefix = key('O', coll, "");
    List<String> out = new ArrayList<>();
    try (RocksIterator it = db.newIterator()) {
      it.seek(key('O', coll, after));
      for (; it.isValid() && out.size() < limit; it.next()) {
        byte[] k = it.key();
        if (!startsWith(k, prefix)) {
          break;
        }
        String name = suffix(k, prefix.length);
        if (!name.equals(after)) {
          out.add(name);
        }
      }
    }
    return out;
  }

  @Override
  public Optional<byte[]> omapGet(String coll, String key) throws StoreException {
    requireCollection(coll);
    try {
      return Optional.ofNullable(db.get(key('M', coll, key)));
    } catch (RocksDBException e) {
      throw new StoreException("store " + dir + ": omap read failed: " + e.getMessage());
    }
  }

  @Override
  public SortedMap<String, byte[]> omapScan(String coll, String from, String to) throws StoreException {
    requireCollection(coll);
    byte[] prefix = key('M', coll, "");
    TreeMap<String, byte[]> out = new TreeMap<>();
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(key('M', coll, from)); it.isValid(); it.next()) {
        byte[] k = it.key();
        if (!startsWith(k, prefix)) {
          break;
        }
        String name = suffix(k, prefix.length);
        if (name.compareTo(to) >= 0) {
          break;
        }
        out.put(name, it.value());
      }
    }
    return out;
  }

  @Override
  public List<String> listCollections() {
    List<String> out = new ArrayList<>(collections);
    out.sort(null);
    return out;
  }

  private List<String> scanCollections() {
    List<String> out = new ArrayList<>();
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(new byte[] {'C'}); it.isValid() && it.key().length > 0 && it.key()[0] == 'C'; it.next()) {
        out.add(suffix(it.key(), 1));
      }
    }
    return out;
  }

  @Override
  public boolean collectionExists(String coll) {
    return collections.contains(coll);
  }

  private static boolean startsWith(byte[] k, byte[] prefix) {
    return k.length >= prefix.length && Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length);
  }

  @Override
  public synchronized void close() {
    syncWrites.close();
    asyncWrites.close();
    db.close();
  }
}
