package io.jpeer.core.types;

/**
 * Ceph's eversion_t: the map epoch in which a primary issued a write, and the PG's write counter.
 * Ordered by epoch, then counter; printed {@code 5'12}. Both parts are unsigned (epoch u32,
 * counter u64), so comparisons and printing treat the counter as unsigned.
 */
public record Eversion(long epoch, long version) implements Comparable<Eversion> {
  public static final long MAX_EPOCH = 0xFFFF_FFFFL;
  public static final Eversion ZERO = new Eversion(0, 0);
  public static final Eversion MAX = new Eversion(MAX_EPOCH, -1L);

  public Eversion {
    if (epoch < 0 || epoch > MAX_EPOCH) {
      throw new IllegalArgumentException("epoch out of range: " + epoch);
    }
  }

  public static Eversion of(long epoch, long version) {
    return epoch == 0 && version == 0 ? ZERO : new Eversion(epoch, version);
  }

  /**
   * Parses the canonical form {@code E'V}: decimal, no sign, no leading zeros.
   *
   * @throws IllegalArgumentException naming the problem
   */
  public static Eversion parse(String s) {
    int q = s.indexOf('\'');
    if (q <= 0 || q != s.lastIndexOf('\'') || q == s.length() - 1) {
      throw new IllegalArgumentException("bad version \"" + s + "\" (expected E'V)");
    }
    String e = s.substring(0, q);
    String v = s.substring(q + 1);
    if (!canonicalDecimal(e) || !canonicalDecimal(v)) {
      throw new IllegalArgumentException("bad version \"" + s + "\" (expected E'V in decimal)");
    }
    long epoch;
    long version;
    try {
      epoch = Long.parseLong(e);
      version = Long.parseUnsignedLong(v);
    } catch (NumberFormatException ex) {
      throw new IllegalArgumentException("bad version \"" + s + "\" (out of range)");
    }
    if (epoch > MAX_EPOCH) {
      throw new IllegalArgumentException("bad version \"" + s + "\" (epoch above 2^32-1)");
    }
    return of(epoch, version);
  }

  private static boolean canonicalDecimal(String s) {
    if (s.isEmpty() || s.length() > 20) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return s.length() == 1 || s.charAt(0) != '0';
  }

  public boolean isZero() {
    return epoch == 0 && version == 0;
  }

  @Override
  public int compareTo(Eversion o) {
    int c = Long.compare(epoch, o.epoch);
    return c != 0 ? c : Long.compareUnsigned(version, o.version);
  }

  public boolean isAfter(Eversion o) {
    return compareTo(o) > 0;
  }

  public boolean isBefore(Eversion o) {
    return compareTo(o) < 0;
  }

  public boolean atMost(Eversion o) {
    return compareTo(o) <= 0;
  }

  public boolean atLeast(Eversion o) {
    return compareTo(o) >= 0;
  }

  /** Compares only the write counters (what Ceph's rewind uses). */
  public int compareCounter(Eversion o) {
    return Long.compareUnsigned(version, o.version);
  }

  public static Eversion max(Eversion a, Eversion b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  public static Eversion min(Eversion a, Eversion b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** A store key whose string order is the version order ({@code %010u.%020llu}). */
  public String key() {
    String v = Long.toUnsignedString(version);
    String e = Long.toString(epoch);
    return "0".repeat(10 - e.length()) + e + "." + "0".repeat(20 - v.length()) + v;
  }

  @Override
  public String toString() {
    return epoch + "'" + Long.toUnsignedString(version);
  }
}
