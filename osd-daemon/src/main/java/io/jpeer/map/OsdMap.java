package io.jpeer.map;

import io.jpeer.core.types.PgId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One epoch of the cluster map (Ceph's OSDMap without CRUSH hierarchy): OSDs, pools and pg_temp.
 * Immutable; the next epoch is made by {@link Incremental#apply}. Placement queries go through
 * {@link Placement}, so every process computes the same sets from the same epoch.
 */
public final class OsdMap {
  private final long epoch;
  private final String fsid;
  private final Instant created;
  private final Instant modified;
  private final NavigableMap<Integer, OsdInfo> osds;
  private final NavigableMap<Integer, Pool> pools;
  private final NavigableMap<PgId, List<Integer>> pgTemp;
  private final int poolMax;
  // PG -> up/acting, computed once per PG; shared with the next epoch when that epoch changes
  // nothing placement reads (an up_thru grant, a pool's name): every OSD maps every PG each epoch.
  private volatile java.util.concurrent.ConcurrentHashMap<PgId, UpActing> placed =
      new java.util.concurrent.ConcurrentHashMap<>();

  public OsdMap(
      long epoch,
      String fsid,
      Instant created,
      Instant modified,
      Map<Integer, OsdInfo> osds,
      Map<Integer, Pool> pools,
      Map<PgId, List<Integer>> pgTemp,
      int poolMax) {
    if (epoch < 1) {
      throw new IllegalArgumentException("map epoch " + epoch + " < 1");
    }
    this.epoch = epoch;
    this.fsid = fsid == null ? "" : fsid;
    // Stamps travel as microseconds; keeping that precision here makes round trips exact.
    this.created = created.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    this.modified = modified.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    this.osds = Collections.unmodifiableNavigableMap(new TreeMap<>(osds));
    this.pools = Collections.unmodifiableNavigableMap(new TreeMap<>(pools));
    TreeMap<PgId, List<Integer>> t = new TreeMap<>();
    pgTemp.forEach((k, v) -> t.put(k, List.copyOf(v)));
    this.pgTemp = Collections.unmodifiableNavigableMap(t);
    this.poolMax = poolMax;
    for (var e : this.osds.entrySet()) {
      if (e.getKey() != e.getValue().id()) {
        throw new IllegalArgumentException("osd key " + e.getKey() + " holds osd." + e.getValue().id());
      }
    }
    for (var e : this.pools.entrySet()) {
      if (e.getKey() != e.getValue().id()) {
        throw new IllegalArgumentException("pool key " + e.getKey() + " holds pool " + e.getValue().id());
      }
    }
  }

  /** The first map of a new cluster: epoch 1, no OSDs, no pools. */
  public static OsdMap initial(String fsid, Instant now) {
    return new OsdMap(1, fsid, now, now, Map.of(), Map.of(), Map.of(), 0);
  }

  public long epoch() {
    return epoch;
  }

  public String fsid() {
    return fsid;
  }

  public Instant created() {
    return created;
  }

  public Instant modified() {
    return modified;
  }

  /** Every OSD the map knows, by id (including ones that no longer exist). */
  public NavigableMap<Integer, OsdInfo> osds() {
    return osds;
  }

  public NavigableMap<Integer, Pool> pools() {
    return pools;
  }

  public NavigableMap<PgId, List<Integer>> pgTemp() {
    return pgTemp;
  }

  /** Highest pool id ever used (new pools get poolMax + 1). */
  public int poolMax() {
    return poolMax;
  }

  /** One more than the highest OSD id (Ceph's max_osd). */
  public int maxOsd() {
    return osds.isEmpty() ? 0 : osds.lastKey() + 1;
  }

  public Optional<OsdInfo> osd(int id) {
    return Optional.ofNullable(osds.get(id));
  }

  public boolean exists(int osd) {
    OsdInfo o = osds.get(osd);
    return o != null && o.exists();
  }

  public boolean isUp(int osd) {
    OsdInfo o = osds.get(osd);
    return o != null && o.exists() && o.up();
  }

  public boolean isDown(int osd) {
    return !isUp(osd);
  }

  public boolean isIn(int osd) {
    OsdInfo o = osds.get(osd);
    return o != null && o.isIn();
  }

  public long upFrom(int osd) {
    return osd(osd).map(OsdInfo::upFrom).orElse(0L);
  }

  public long upThru(int osd) {
    return osd(osd).map(OsdInfo::upThru).orElse(0L);
  }

  public long downAt(int osd) {
    return osd(osd).map(OsdInfo::downAt).orElse(0L);
  }

  public long lostAt(int osd) {
    return osd(osd).map(OsdInfo::lostAt).orElse(0L);
  }

  /** Ceph's {@code has_been_up_since}: up now and up continuously since epoch e. */
  public boolean hasBeenUpSince(int osd, long e) {
    return isUp(osd) && upFrom(osd) <= e;
  }

  /** The messenger address of an OSD ("host:port"), empty if it never booted. */
  public String addr(int osd) {
    return osd(osd).map(OsdInfo::addr).orElse("");
  }

  public int numOsds() {
    return (int) osds.values().stream().filter(OsdInfo::exists).count();
  }

  public int numUpOsds() {
    return (int) osds.values().stream().filter(o -> o.exists() && o.up()).count();
  }

  public int numInOsds() {
    return (int) osds.values().stream().filter(OsdInfo::isIn).count();
  }

  public Optional<Pool> pool(int id) {
    return Optional.ofNullable(pools.get(id));
  }

  public Optional<Pool> poolByName(String name) {
    return pools.values().stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** True if the PG's pool exists and its seed is below pg_num. */
  public boolean pgExists(PgId pg) {
    Pool p = pools.get(pg.pool());
    return p != null && pg.seed() < p.pgNum();
  }

  /** Every PG of a pool, seeds 0..pg_num-1; empty if there is no such pool. */
  public List<PgId> pgsOf(int pool) {
    Pool p = pools.get(pool);
    if (p == null) {
      return List.of();
    }
    List<PgId> out = new ArrayList<>(p.pgNum());
    for (int s = 0; s < p.pgNum(); s++) {
      out.add(new PgId(pool, s));
    }
    return out;
  }

  /** Every PG of every pool, in (pool, seed) order. */
  public List<PgId> allPgs() {
    List<PgId> out = new ArrayList<>();
    for (int pool : pools.keySet()) {
      out.addAll(pgsOf(pool));
    }
    return out;
  }

  /** The PG an object of a pool maps to. */
  public PgId objectToPg(int poolId, String name) {
    Pool p = pools.get(poolId);
    if (p == null) {
      throw new IllegalArgumentException("no pool " + poolId + " in epoch " + epoch);
    }
    return Placement.objectToPg(p, name);
  }

  /** Raw CRUSH result (in OSDs, up or not) of a PG. */
  public List<Integer> pgToRawOsds(PgId pg) {
    return Placement.crush(pg, requirePool(pg), osds);
  }

  /** Up set, up primary, acting set (pg_temp or up) and acting primary of a PG in this epoch. */
  public UpActing pgToUpActing(PgId pg) {
    UpActing ua = placed.get(pg);
    if (ua == null) {
      ua = Placement.upActing(pg, requirePool(pg), osds, pgTemp.get(pg));
      placed.put(pg, ua);
    }
    return ua;
  }

  /** Reuses {@code prev}'s computed placements when nothing placement depends on differs. */
  void sharePlacementsWith(OsdMap prev) {
    if (samePlacementInputs(prev)) {
      placed = prev.placed;
    }
  }

  private boolean samePlacementInputs(OsdMap o) {
    if (!pgTemp.equals(o.pgTemp) || !osds.keySet().equals(o.osds.keySet()) || !pools.keySet().equals(o.pools.keySet())) {
      return false;
    }
    for (var e : osds.entrySet()) {
      OsdInfo a = e.getValue();
      OsdInfo b = o.osds.get(e.getKey());
      if (a.exists() != b.exists() || a.up() != b.up() || a.weight() != b.weight()) {
        return false;
      }
    }
    for (var e : pools.entrySet()) {
      Pool a = e.getValue();
      Pool b = o.pools.get(e.getKey());
      if (a.size() != b.size() || a.pgNum() != b.pgNum() || a.crushRule() != b.crushRule()) {
        return false;
      }
    }
    return true;
  }

  private Pool requirePool(PgId pg) {
    Pool p = pools.get(pg.pool());
    if (p == null || pg.seed() >= p.pgNum()) {
      throw new IllegalArgumentException("pg " + pg + " does not exist in epoch " + epoch);
    }
    return p;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OsdMap m
        && epoch == m.epoch
        && fsid.equals(m.fsid)
        && java.util.Objects.equals(created, m.created)
        && java.util.Objects.equals(modified, m.modified)
        && osds.equals(m.osds)
        && pools.equals(m.pools)
        && pgTemp.equals(m.pgTemp)
        && poolMax == m.poolMax;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(epoch, fsid, osds, pools, pgTemp);
  }

  @Override
  public String toString() {
    return "OsdMap(e" + epoch + " " + numOsds() + " osds: " + numUpOsds() + " up, " + numInOsds()
        + " in; " + pools.size() + " pools)";
  }
}
