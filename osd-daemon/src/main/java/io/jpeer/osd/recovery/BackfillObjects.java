package io.jpeer.osd.recovery;

import io.jpeer.core.backfill.BackfillPlan;
import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.ObjectNames;
import io.jpeer.store.ObjectStore;
import io.jpeer.store.StoreException;
import io.jpeer.store.StoredObject;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** A PG's objects in a name interval with their versions, as backfill scans them from the store. */
final class BackfillObjects {
  private BackfillObjects() {}

  /**
   * Objects in {@code (begin, end]}, at most {@code limit} (0: no limit); {@code listedEnd} gets
   * where the listing stopped: {@code end}, or the last name when cut short.
   */
  static TreeMap<String, Eversion> scan(ObjectStore store, String coll, String begin, String end, int limit,
      String[] listedEnd) throws StoreException {
    TreeMap<String, Eversion> out = new TreeMap<>();
    String after = ObjectNames.MIN.equals(begin) ? "" : begin;
    listedEnd[0] = end;
    while (true) {
      List<String> names = store.list(coll, after, BackfillPlan.CHUNK);
      for (String n : names) {
        if (!BackfillPlan.within(n, begin, end)) {
          return out;
        }
        Optional<StoredObject> o = store.read(coll, n);
        if (o.isPresent()) {
          Eversion v = ObjectVersion.of(o.get());
          out.put(n, v == null ? Eversion.ZERO : v); // (no version: differs from every real one)
        }
        if (limit > 0 && out.size() >= limit) {
          listedEnd[0] = n;
          return out;
        }
      }
      if (names.size() < BackfillPlan.CHUNK) {
        return out;
      }
      after = names.get(names.size() - 1);
    }
  }

  /** The first names after {@code begin} (at most {@code limit}). */
  static List<String> names(ObjectStore store, String coll, String begin, int limit) throws StoreException {
    return store.list(coll, ObjectNames.MIN.equals(begin) ? "" : begin, limit);
  }
}
