package io.jpeer.map;

import io.jpeer.core.types.PgId;

import io.jpeer.proto.mon.IncrementalProto;
import io.jpeer.proto.mon.OsdInfoProto;
import io.jpeer.proto.mon.OsdMapProto;
import io.jpeer.proto.mon.PgTempProto;
import io.jpeer.proto.mon.PoolProto;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maps {@link OsdMap} and {@link Incremental} to and from their protobuf messages in mon.proto.
 * Decoding validates: a malformed map raises IllegalArgumentException with a one-line reason.
 */
public final class MapCodec {
  private MapCodec() {}

  public static OsdMapProto toProto(OsdMap m) {
    OsdMapProto.Builder b = OsdMapProto.newBuilder()
        .setEpoch((int) m.epoch())
        .setFsid(m.fsid())
        .setCreatedMicros(micros(m.created()))
        .setModifiedMicros(micros(m.modified()))
        .setPoolMax(m.poolMax());
    m.osds().values().forEach(o -> b.addOsds(toProto(o)));
    m.pools().values().forEach(p -> b.addPools(toProto(p)));
    m.pgTemp().forEach((pg, osds) -> b.addPgTemp(pgTemp(pg, osds)));
    return b.build();
  }

  public static OsdMap fromProto(OsdMapProto p) {
    try {
      return new OsdMap(
          Integer.toUnsignedLong(p.getEpoch()),
          p.getFsid(),
          instant(p.getCreatedMicros()),
          instant(p.getModifiedMicros()),
          osds(p.getOsdsList()),
          pools(p.getPoolsList()),
          pgTemps(p.getPgTempList()),
          p.getPoolMax());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad osd map e" + Integer.toUnsignedLong(p.getEpoch()) + ": " + e.getMessage());
    }
  }

  public static IncrementalProto toProto(Incremental inc) {
    IncrementalProto.Builder b = IncrementalProto.newBuilder()
        .setEpoch((int) inc.epoch())
        .setFsid(inc.fsid())
        .setModifiedMicros(micros(inc.modified()))
        .setPoolMax(inc.poolMax());
    inc.osds().values().forEach(o -> b.addOsds(toProto(o)));
    inc.pools().values().forEach(p -> b.addPools(toProto(p)));
    inc.pgTemp().forEach((pg, osds) -> b.addPgTemp(pgTemp(pg, osds)));
    return b.build();
  }

  public static Incremental fromProto(IncrementalProto p) {
    try {
      return new Incremental(
          Integer.toUnsignedLong(p.getEpoch()),
          p.getFsid(),
          instant(p.getModifiedMicros()),
          new TreeMap<>(osds(p.getOsdsList())),
          new TreeMap<>(pools(p.getPoolsList())),
          new TreeMap<>(pgTemps(p.getPgTempList())),
          p.getPoolMax());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad incremental e" + Integer.toUnsignedLong(p.getEpoch()) + ": " + e.getMessage());
    }
  }

  public static OsdInfoProto toProto(OsdInfo o) {
    return OsdInfoProto.newBuilder()
        .setOsd(o.id())
        .setExists(o.exists())
        .setUp(o.up())
        .setWeight(o.weight())
        .setAddr(o.addr())
        .setUpFrom((int) o.upFrom())
        .setUpThru((int) o.upThru())
        .setDownAt((int) o.downAt())
        .setLostAt((int) o.lostAt())
        .setLastCleanBegin((int) o.lastCleanBegin())
        .setLastCleanEnd((int) o.lastCleanEnd())
        .build();
  }

  public static OsdInfo fromProto(OsdInfoProto p) {
    return new OsdInfo(
        p.getOsd(),
        p.getExists(),
        p.getUp(),
        p.getWeight(),
        p.getAddr(),
        Integer.toUnsignedLong(p.getUpFrom()),
        Integer.toUnsignedLong(p.getUpThru()),
        Integer.toUnsignedLong(p.getDownAt()),
        Integer.toUnsignedLong(p.getLostAt()),
        Integer.toUnsignedLong(p.getLastCleanBegin()),
        Integer.toUnsignedLong(p.getLastCleanEnd()));
  }

  public static PoolProto toProto(Pool p) {
    return PoolProto.newBuilder()
        .setPool(p.id())
        .setName(p.name())
        .setType(p.type())
        .setSize(p.size())
        .setMinSize(p.minSize())
        .setPgNum(p.pgNum())
        .setCrushRule(p.crushRule())
        .setLastChange((int) p.lastChange())
        .setCreateTimeMicros(micros(p.createTime()))
        .build();
  }

  public static Pool fromProto(PoolProto p) {
    return new Pool(
        p.getPool(),
        p.getName(),
        p.getType(),
        p.getSize(),
        p.getMinSize(),
        p.getPgNum(),
        p.getCrushRule(),
        Integer.toUnsignedLong(p.getLastChange()),
        instant(p.getCreateTimeMicros()));
  }

  public static PgTempProto pgTemp(PgId pg, List<Integer> osds) {
    return PgTempProto.newBuilder().setPgid(pg.toString()).addAllOsds(osds).build();
  }

  private static Map<Integer, OsdInfo> osds(List<OsdInfoProto> list) {
    Map<Integer, OsdInfo> m = new TreeMap<>();
    for (OsdInfoProto o : list) {
      if (m.put(o.getOsd(), fromProto(o)) != null) {
        throw new IllegalArgumentException("osd." + o.getOsd() + " listed twice");
      }
    }
    return m;
  }

  private static Map<Integer, Pool> pools(List<PoolProto> list) {
    Map<Integer, Pool> m = new TreeMap<>();
    for (PoolProto p : list) {
      if (m.put(p.getPool(), fromProto(p)) != null) {
        throw new IllegalArgumentException("pool " + p.getPool() + " listed twice");
      }
    }
    return m;
  }

  /** pg_temp entries; PgId.parse rejects malformed ids with a message naming them. */
  public static Map<PgId, List<Integer>> pgTemps(List<PgTempProto> list) {
    Map<PgId, List<Integer>> m = new TreeMap<>();
    for (PgTempProto t : list) {
      m.put(PgId.parse(t.getPgid()), List.copyOf(t.getOsdsList()));
    }
    return m;
  }

  public static long micros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }

  public static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }
}
