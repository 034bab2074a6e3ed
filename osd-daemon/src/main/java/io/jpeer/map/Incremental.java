package io.jpeer.map;

import io.jpeer.core.types.PgId;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The change from epoch - 1 to epoch (Ceph's OSDMap::Incremental). Simpler than Ceph's: a changed
 * OSD or pool is carried whole rather than field by field, and a pg_temp entry with an empty list
 * clears that PG's pg_temp.
 */
public record Incremental(
    long epoch,
    String fsid,
    Instant modified,
    NavigableMap<Integer, OsdInfo> osds,
    NavigableMap<Integer, Pool> pools,
    NavigableMap<PgId, List<Integer>> pgTemp,
    int poolMax) {

  public Incremental {
    if (epoch < 2) {
      throw new IllegalArgumentException("incremental epoch " + epoch + " < 2");
    }
    fsid = fsid == null ? "" : fsid;
    modified = modified.truncatedTo(ChronoUnit.MICROS);
    osds = Collections.unmodifiableNavigableMap(new TreeMap<>(osds));
    pools = Collections.unmodifiableNavigableMap(new TreeMap<>(pools));
    TreeMap<PgId, List<Integer>> t = new TreeMap<>();
    pgTemp.forEach((k, v) -> t.put(k, List.copyOf(v)));
    pgTemp = Collections.unmodifiableNavigableMap(t);
  }

  /** The map of this epoch; {@code base} must be the map of epoch - 1 of the same cluster. */
  public OsdMap apply(OsdMap base) {
    if (base.epoch() + 1 != epoch) {
      throw new IllegalArgumentException(
          "incremental e" + epoch + " cannot apply to map e" + base.epoch());
    }
    if (!fsid.isEmpty() && !base.fsid().isEmpty() && !fsid.equals(base.fsid())) {
      throw new IllegalArgumentException("incremental fsid " + fsid + " != map fsid " + base.fsid());
    }
    Map<Integer, OsdInfo> o = new TreeMap<>(base.osds());
    o.putAll(osds);
    Map<Integer, Pool> p = new TreeMap<>(base.pools());
    p.putAll(pools);
    Map<PgId, List<Integer>> t = new TreeMap<>(base.pgTemp());
    pgTemp.forEach((pg, v) -> {
      if (v.isEmpty()) {
        t.remove(pg);
      } else {
        t.put(pg, v);
      }
    });
    OsdMap next = new OsdMap(epoch, base.fsid(), base.created(), modified, o, p, t, Math.max(poolMax, base.poolMax()));
    next.sharePlacementsWith(base);
    return next;
  }

  /** The incremental turning {@code prev} into {@code next} (next.epoch = prev.epoch + 1). */
  public static Incremental between(OsdMap prev, OsdMap next) {
    if (prev.epoch() + 1 != next.epoch()) {
      throw new IllegalArgumentException("maps e" + prev.epoch() + " and e" + next.epoch() + " are not consecutive");
    }
    Map<Integer, OsdInfo> o = new TreeMap<>();
    next.osds().forEach((id, info) -> {
      if (!info.equals(prev.osds().get(id))) {
        o.put(id, info);
      }
    });
    Map<Integer, Pool> p = new TreeMap<>();
    next.pools().forEach((id, pool) -> {
      if (!pool.equals(prev.pools().get(id))) {
        p.put(id, pool);
      }
    });
    Map<PgId, List<Integer>> t = new TreeMap<>();
    next.pgTemp().forEach((pg, v) -> {
      if (!v.equals(prev.pgTemp().get(pg))) {
        t.put(pg, v);
      }
    });
    prev.pgTemp().keySet().forEach(pg -> {
      if (!next.pgTemp().containsKey(pg)) {
        t.put(pg, List.of());
      }
    });
    return new Incremental(next.epoch(), next.fsid(), next.modified(), new TreeMap<>(o), new TreeMap<>(p), new TreeMap<>(t), next.poolMax());
  }

  /** A pending change on top of a base map (the monitor's pending_inc). */
  public static Builder builder(OsdMap base) {
    return new Builder(base);
  }

  /** Collects changes to the next epoch; reads see base values overlaid with pending ones. */
  public static final class Builder {
    private final OsdMap base;
    private final Map<Integer, OsdInfo> osds = new HashMap<>();
    private final Map<Integer, Pool> pools = new HashMap<>();
    private final Map<PgId, List<Integer>> pgTemp = new HashMap<>();
    private int poolMax;

    private Builder(OsdMap base) {
      this.base = Objects.requireNonNull(base);
      this.poolMax = base.poolMax();
    }

    public OsdMap base() {
      return base;
    }

    /** The epoch this pending change will become. */
    public long epoch() {
      return base.epoch() + 1;
    }

    public boolean isEmpty() {
      return osds.isEmpty() && pools.isEmpty() && pgTemp.isEmpty() && poolMax == base.poolMax();
    }

    /** The OSD as it will be in the next epoch, or null if unknown. */
    public OsdInfo osd(int id) {
      OsdInfo o = osds.get(id);
      return o != null ? o : base.osds().get(id);
    }

    public Builder setOsd(OsdInfo info) {
      osds.put(info.id(), info);
      return this;
    }

    public Pool pool(int id) {
      Pool p = pools.get(id);
      return p != null ? p : base.pools().get(id);
    }

    /** The pool of that name in the next epoch, or null. */
    public Pool poolByName(String name) {
      for (Pool p : pools.values()) {
        if (p.name().equals(name)) {
          return p;
        }
      }
      return base.poolByName(name).filter(p -> !pools.containsKey(p.id())).orElse(null);
    }

    public Builder setPool(Pool pool) {
      pools.put(pool.id(), pool);
      poolMax = Math.max(poolMax, pool.id());
      return this;
    }

    /** Next unused pool id. */
    public int nextPoolId() {
      return poolMax + 1;
    }

    /** Sets a PG's pg_temp; an empty list clears it. */
    public Builder setPgTemp(PgId pg, List<Integer> osds) {
      pgTemp.put(pg, List.copyOf(osds));
      return this;
    }

    /** The pg_temp the PG will have (empty = none). */
    public List<Integer> pgTemp(PgId pg) {
      List<Integer> v = pgTemp.get(pg);
      return v != null ? v : base.pgTemp().getOrDefault(pg, List.of());
    }

    public Incremental build(Instant now) {
      return new Incremental(epoch(), base.fsid(), now, new TreeMap<>(osds), new TreeMap<>(pools), new TreeMap<>(pgTemp), poolMax);
    }
  }
}
