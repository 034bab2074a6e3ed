package io.jpeer.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/** The in-memory store ({@code osd objectstore = memory}): fast, and gone when the process ends. */
public final class MemStore implements ObjectStore {
  private record Coll(TreeMap<String, StoredObject> objects, TreeMap<String, byte[]> omap) {}

  private final TreeMap<String, Coll> colls = new TreeMap<>();

  @Override
  public synchronized void apply(Transaction t) throws StoreException {
    StoreChecks.validate(t, colls.keySet());
    for (Transaction.Op op : t.ops()) {
      if (op instanceof Transaction.Op.CreateCollection c) {
        colls.putIfAbsent(c.coll(), new Coll(new TreeMap<>(), new TreeMap<>()));
      } else if (op instanceof Transaction.Op.RemoveCollection c) {
        colls.remove(c.coll());
      } else if (op instanceof Transaction.Op.Write w) {
        colls.get(w.coll()).objects().put(w.name(), StoredObject.of(w.data(), w.attrs()));
      } else if (op instanceof Transaction.Op.Remove r) {
        colls.get(r.coll()).objects().remove(r.name());
      } else if (op instanceof Transaction.Op.OmapSet s) {
        colls.get(s.coll()).omap().put(s.key(), s.value());
      } else if (op instanceof Transaction.Op.OmapRemove r) {
        colls.get(r.coll()).omap().remove(r.key());
      } else if (op instanceof Transaction.Op.OmapRemoveRange r) {
        colls.get(r.coll()).omap().subMap(r.from(), r.to()).clear();
      }
    }
  }

  private Coll coll(String name) throws StoreException {
    Coll c = colls.get(name);
    if (c == null) {
      throw new StoreException("collection " + name + " does not exist");
    }
    return c;
  }

  @Override
  public synchronized Optional<StoredObject> read(String coll, String name) throws StoreException {
    return Optional.ofNullable(coll(coll).objects().get(name));
  }

  @Override
  public synchronized List<String> list(String coll, String after, int limit) throws StoreException {
    List<String> out = new ArrayList<>();
    for (String n : coll(coll).objects().tailMap(after, false).keySet()) {
      if (out.size() >= limit) {
        break;
      }
      out.add(n);
    }
    return out;
  }

  @Override
  public synchronized Optional<byte[]> omapGet(String coll, String key) throws StoreException {
    return Optional.ofNullable(coll(coll).omap().get(key));
  }

  @Override
  public synchronized SortedMap<String, byte[]> omapScan(String coll, String from, String to) throws StoreException {
    return new TreeMap<>(coll(coll).omap().subMap(from, to));
  }

  @Override
  public synchronized List<String> listCollections() {
    return new ArrayList<>(colls.keySet());
  }

  @Override
  public synchronized boolean collectionExists(String coll) {
    return colls.containsKey(coll);
  }

  @Override
  public void close() {}
}

/** Checks a transaction against the collections that will exist as it runs: all or nothing. */
final class StoreChecks {
  private StoreChecks() {}

  static void validate(Transaction t, Set<String> existing) throws StoreException {
    // Copied only by a transaction that creates or removes collections (most do neither).
    Set<String> colls = existing;
    for (Transaction.Op op : t.ops()) {
      if (op instanceof Transaction.Op.CreateCollection c) {
        colls = colls == existing ? new HashSet<>(existing) : colls;
        colls.add(checkName(c.coll()));
      } else if (op instanceof Transaction.Op.RemoveCollection c) {
        colls = colls == existing ? new HashSet<>(existing) : colls;
        colls.remove(c.coll());
      } else if (op instanceof Transaction.Op.Write w) {
        need(colls, w.coll(), "write " + checkName(w.name()));
      } else if (op instanceof Transaction.Op.Remove r) {
        need(colls, r.coll(), "remove " + r.name());
      } else if (op instanceof Transaction.Op.OmapSet s) {
        need(colls, s.coll(), "omap set " + s.key());
      } else if (op instanceof Transaction.Op.OmapRemove r) {
        need(colls, r.coll(), "omap remove " + r.key());
      } else if (op instanceof Transaction.Op.OmapRemoveRange r) {
        need(colls, r.coll(), "omap remove range");
      }
    }
  }

  private static void need(Set<String> colls, String coll, String what) throws StoreException {
    if (!colls.contains(coll)) {
      throw new StoreException(what + ": collection " + coll + " does not exist");
    }
  }

  /** Names become key parts: a NUL would break the key layout. */
  static String checkName(String s) throws StoreException {
    if (s.isEmpty() || s.indexOf('\0') >= 0) {
      throw new StoreException("bad name '" + s.replace("\0", "\\0") + "'");
    }
    return s;
  }
}
