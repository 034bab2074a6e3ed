package io.jpeer.map;

/**
 * A placement group of a pool, Ceph's {@code pg_t}: pool id and seed, printed {@code 1.1f} (seed
 * in hex). The peering core has its own PG identity type; this one belongs to the map layer.
 */
public record PgId(int pool, int seed) implements Comparable<PgId> {

  public PgId {
    if (pool < 0 || seed < 0) {
      throw new IllegalArgumentException("bad pgid " + pool + "." + seed);
    }
  }

  /** Parses {@code POOL.SEEDHEX}; throws IllegalArgumentException naming the text. */
  public static PgId parse(String text) {
    int dot = text.indexOf('.');
    if (dot <= 0 || dot == text.length() - 1) {
      throw new IllegalArgumentException("bad pgid '" + text + "' (expected POOL.SEED, e.g. 1.1f)");
    }
    try {
      return new PgId(
          Integer.parseInt(text.substring(0, dot)), Integer.parseInt(text.substring(dot + 1), 16));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad pgid '" + text + "' (expected POOL.SEED, e.g. 1.1f)");
    }
  }

  @Override
  public int compareTo(PgId o) {
    int c = Integer.compare(pool, o.pool);
    return c != 0 ? c : Integer.compare(seed, o.seed);
  }

  @Override
  public String toString() {
    return pool + "." + Integer.toHexString(seed);
  }
}
