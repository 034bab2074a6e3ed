package io.jpeer.osd;

import io.jpeer.core.interval.OsdMapView;
import io.jpeer.core.interval.PgMapping;
import io.jpeer.core.types.PgId;
import io.jpeer.map.OsdMap;
import io.jpeer.map.Pool;
import io.jpeer.map.UpActing;

/** The OSD map as the peering core reads it. */
record MapView(OsdMap map) implements OsdMapView {
  @Override
  public long epoch() {
    return map.epoch();
  }

  @Override
  public boolean exists(int osd) {
    return map.exists(osd);
  }

  @Override
  public boolean isUp(int osd) {
    return map.isUp(osd);
  }

  @Override
  public long upFrom(int osd) {
    return map.upFrom(osd);
  }

  @Override
  public long upThru(int osd) {
    return map.upThru(osd);
  }

  @Override
  public long lostAt(int osd) {
    return map.lostAt(osd);
  }

  @Override
  public boolean poolExists(PgId pg) {
    return map.pgExists(pg);
  }

  @Override
  public int poolSize(PgId pg) {
    return map.pool(pg.pool()).map(Pool::size).orElse(0);
  }

  @Override
  public int poolMinSize(PgId pg) {
    return map.pool(pg.pool()).map(Pool::minSize).orElse(0);
  }

  @Override
  public PgMapping mapping(PgId pg) {
    UpActing ua = map.pgToUpActing(pg);
    return new PgMapping(ua.up(), ua.upPrimary(), ua.acting(), ua.actingPrimary());
  }
}
