package io.jpeer.core.types;

/** Ceph's pg_t: pool id and placement seed, printed {@code 1.1f} (seed in hex). Shared by the core and the map. */
public record PgId(int pool, int seed) implements Comparable<PgId> {
  public PgId {
    if (pool < 0 || seed < 0) {
      throw new IllegalArgumentException("bad pgid " + pool + "." + seed);
    }
  }

  public static PgId parse(String s) {
    int dot = s.indexOf('.');
    if (dot <= 0 || dot == s.length() - 1) {
      throw new IllegalArgumentException("bad pgid \"" + s + "\" (expected POOL.SEED, seed in hex)");
    }
    try {
      int pool = Integer.parseInt(s.substring(0, dot));
      int seed = Integer.parseInt(s.substring(dot + 1), 16);
      return new PgId(pool, seed);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad pgid \"" + s + "\" (expected POOL.SEED, seed in hex)");
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
