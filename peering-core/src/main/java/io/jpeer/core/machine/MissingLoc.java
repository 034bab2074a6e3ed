package io.jpeer.core.machine;

import io.jpeer.core.types.ObjectNames;
import io.jpeer.core.types.PgInfo;
import io.jpeer.core.types.PgMissing;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Ceph's MissingLoc for a replicated pool: what the acting shards need recovered (needs_recovery)
 * and, per object, the OSDs known to hold the needed version. An object needing a non-delete
 * version with no location is unfound.
 */
final class MissingLoc {
  private final TreeMap<String, PgMissing.Item> needsRecovery = new TreeMap<>();
  private final TreeMap<String, TreeSet<Integer>> locations = new TreeMap<>();

  void clear() {
    needsRecovery.clear();
    locations.clear();
  }

  /** Ceph's add_active_missing: an acting shard's missing items become things to recover. */
  void addActiveMissing(PgMissing m) {
    m.items().forEach(needsRecovery::putIfAbsent);
  }

  boolean needsRecovery() {
    return !needsRecovery.isEmpty();
  }

  boolean needsRecovery(String oid) {
    return needsRecovery.containsKey(oid);
  }

  /**
   * Ceph's add_source_info: {@code osd} holds a needed object when its last_update reaches the
   * need, the object is within its last_backfill and not in its missing set. Returns whether it
   * holds any needed object it was not yet known to hold.
   */
  boolean addSourceInfo(int osd, PgInfo oinfo, PgMissing omissing) {
    boolean found = false;
    for (Map.Entry<String, PgMissing.Item> e : needsRecovery.entrySet()) {
      String oid = e.getKey();
      PgMissing.Item need = e.getValue();
      if (need.isDelete() || oinfo.lastUpdate().isBefore(need.need())
          || !ObjectNames.withinBackfill(oid, oinfo.lastBackfill()) || omissing.isMissing(oid)) {
        continue;
      }
      if (locations.computeIfAbsent(oid, k -> new TreeSet<>()).add(osd)) {
        found = true;
      }
    }
    return found;
  }

  void addLocation(String oid, int osd) {
    if (needsRecovery.containsKey(oid)) {
      locations.computeIfAbsent(oid, k -> new TreeSet<>()).add(osd);
    }
  }

  /** The object is recovered everywhere it was needed (Ceph's recovered). */
  void recovered(String oid) {
    needsRecovery.remove(oid);
    locations.remove(oid);
  }

  /** A purged stray is no longer a source (Ceph's remove_stray_recovery_sources). */
  void removeSource(int osd) {
    locations.values().forEach(l -> l.remove(osd));
    locations.values().removeIf(Set::isEmpty);
  }

  /** Every object to recover, with the OSDs that hold it (empty when none is known). */
  Map<String, Set<Integer>> locationsView() {
    TreeMap<String, Set<Integer>> out = new TreeMap<>();
    needsRecovery.keySet().forEach(oid -> out.put(oid,
        Collections.unmodifiableSet(new TreeSet<>(locations.getOrDefault(oid, new TreeSet<>())))));
    return Collections.unmodifiableMap(out);
  }

  /** Objects needing a version no known shard holds (deletes need no source). */
  List<String> unfound() {
    return needsRecovery.entrySet().stream()
        .filter(e -> !e.getValue().isDelete() && locations.getOrDefault(e.getKey(), new TreeSet<>()).isEmpty())
        .map(Map.Entry::getKey).toList();
  }
}
