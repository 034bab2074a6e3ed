package io.jpeer.map;

/**
 * One OSD as the map records it: Ceph's osd state bits (exists, up), its reweight (1.0 in, 0.0
 * out), messenger address, and {@code osd_info_t} (up_from, up_thru, down_at, lost_at, last
 * clean interval). Epochs are 0 when never set.
 */
public record OsdInfo(
    int id,
    boolean exists,
    boolean up,
    double weight,
    String addr,
    long upFrom,
    long upThru,
    long downAt,
    long lostAt,
    long lastCleanBegin,
    long lastCleanEnd) {

  public OsdInfo {
    if (id < 0) {
      throw new IllegalArgumentException("osd id " + id + " < 0");
    }
    if (!(weight >= 0.0 && weight <= 1.0)) {
      throw new IllegalArgumentException("osd." + id + " weight " + weight + " not in [0,1]");
    }
    addr = addr == null ? "" : addr;
  }

  /** A newly created OSD: exists, down, in, no address yet. */
  public static OsdInfo created(int id) {
    return new OsdInfo(id, true, false, 1.0, "", 0, 0, 0, 0, 0, 0);
  }

  public boolean isIn() {
    return exists && weight > 0.0;
  }

  public OsdInfo withUp(boolean v) {
    return new OsdInfo(id, exists, v, weight, addr, upFrom, upThru, downAt, lostAt, lastCleanBegin, lastCleanEnd);
  }

  public OsdInfo withWeight(double v) {
    return new OsdInfo(id, exists, up, v, addr, upFrom, upThru, downAt, lostAt, lastCleanBegin, lastCleanEnd);
  }

  public OsdInfo withAddr(String v) {
    return new OsdInfo(id, exists, up, weight, v, upFrom, upThru, downAt, lostAt, lastCleanBegin, lastCleanEnd);
  }

  public OsdInfo withUpFrom(long v) {
    return new OsdInfo(id, exists, up, weight, addr, v, upThru, downAt, lostAt, lastCleanBegin, lastCleanEnd);
  }

  public OsdInfo withUpThru(long v) {
    return new OsdInfo(id, exists, up, weight, addr, upFrom, v, downAt, lostAt, lastCleanBegin, lastCleanEnd);
  }

  public OsdInfo withDownAt(long v) {
    return new OsdInfo(id, exists, up, weight, addr, upFrom, upThru, v, lostAt, lastCleanBegin, lastCleanEnd);
  }

  public OsdInfo withLostAt(long v) {
    return new OsdInfo(id, exists, up, weight, addr, upFrom, upThru, downAt, v, lastCleanBegin, lastCleanEnd);
  }

  public OsdInfo withLastClean(long begin, long end) {
    return new OsdInfo(id, exists, up, weight, addr, upFrom, upThru, downAt, lostAt, begin, end);
  }

  /** Ceph's state words as {@code osd dump} prints them: "exists", "up". */
  public java.util.List<String> stateNames() {
    java.util.List<String> s = new java.util.ArrayList<>();
    if (exists) {
      s.add("exists");
    }
    if (up) {
      s.add("up");
    }
    return s;
  }
}
