package io.jpeer.map;

import java.time.Instant;

/**
 * A pool, Ceph's {@code pg_pool_t} reduced to what placement and peering read. Only replicated
 * pools (type 1) exist here; pgp_num always equals pg_num.
 */
public record Pool(
    int id,
    String name,
    int type,
    int size,
    int minSize,
    int pgNum,
    int crushRule,
    long lastChange,
    Instant createTime) {

  public static final int TYPE_REPLICATED = 1;

  public Pool {
    // Stamps travel as microseconds; keeping that precision here makes round trips exact.
    createTime = createTime.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    if (id < 0) {
      throw new IllegalArgumentException("pool id " + id + " < 0");
    }
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("pool " + id + " has no name");
    }
    if (type != TYPE_REPLICATED) {
      throw new IllegalArgumentException("pool '" + name + "': only replicated pools (type 1) are supported");
    }
    if (size < 1 || size > 10) {
      throw new IllegalArgumentException("pool '" + name + "': size " + size + " not in 1..10");
    }
    if (minSize < 1 || minSize > size) {
      throw new IllegalArgumentException("pool '" + name + "': min_size " + minSize + " not in 1.." + size);
    }
    if (pgNum < 1 || pgNum > 65536) {
      throw new IllegalArgumentException("pool '" + name + "': pg_num " + pgNum + " not in 1..65536");
    }
  }

  /** Ceph's default min_size for a size: size - size/2 (2 for 3, 1 for 1 and 2). */
  public static int defaultMinSize(int size) {
    return size - size / 2;
  }

  /** Mask covering pg_num - 1, as Ceph's {@code pg_num_mask}. */
  public int pgNumMask() {
    return Placement.maskFor(pgNum);
  }

  public String typeName() {
    return "replicated";
  }
}
