package io.jpeer.map;

import io.jpeer.core.types.PgId;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Placement, identical in every process: object name to PG, and PG to OSDs.
 *
 * <ul>
 *   <li>object to PG: Ceph's {@code ceph_str_hash_rjenkins} (Bob Jenkins' lookup2 over the UTF-8
 *       bytes of the name; "foo" hashes to 0x7fc1f406 as in Ceph), folded onto the pool's pg_num
 *       with {@link #stableMod}, so growing pg_num to the next power of two splits PGs in two.
 *   <li>PG to OSDs: a straw2 draw as CRUSH does it, over one flat bucket of every existing OSD
 *       (all CRUSH weights 1.0). For replica r every OSD draws {@code ln(u)/w} with u a 16-bit
 *       hash of (placement seed, osd, r); the highest draw wins. A chosen OSD that is out
 *       (reweight 0) or already chosen is rejected and the replica retried with r + 1, +2, ...
 *       Because every OSD's draw is independent of the others, removing one OSD only moves the
 *       PGs that had chosen it.
 *   <li>Like Ceph, CRUSH picks among in OSDs whether up or not; the up set is that result with
 *       down OSDs removed (a down but in OSD leaves the PG undersized until it is marked out).
 * </ul>
 */
public final class Placement {
  private static final int SEED = 1315423911;
  private static final int TOTAL_TRIES = 50;

  private Placement() {}

  /** Ceph's {@code ceph_str_hash_rjenkins} of the name's UTF-8 bytes, as an unsigned 32-bit value in an int. */
  public static int strHash(String name) {
    byte[] k = name.getBytes(StandardCharsets.UTF_8);
    int a = 0x9e3779b9;
    int b = a;
    int c = 0;
    int i = 0;
    int len = k.length;
    while (len >= 12) {
      a += word(k, i);
      b += word(k, i + 4);
      c += word(k, i + 8);
      int[] m = mix(a, b, c);
      a = m[0];
      b = m[1];
      c = m[2];
      i += 12;
      len -= 12;
    }
    c += k.length;
    // The tail: bytes 8..10 go to c above its low byte (which holds the length), 4..7 to b, 0..3 to a.
    for (int j = len - 1; j >= 0; j--) {
      int v = k[i + j] & 0xff;
      if (j >= 8) {
        c += v << (8 * (j - 7));
      } else if (j >= 4) {
        b += v << (8 * (j - 4));
      } else {
        a += v << (8 * j);
      }
    }
    return mix(a, b, c)[2];
  }

  private static int word(byte[] k, int i) {
    return (k[i] & 0xff) | (k[i + 1] & 0xff) << 8 | (k[i + 2] & 0xff) << 16 | (k[i + 3] & 0xff) << 24;
  }

  /** Jenkins' 96-bit mix (the same one CRUSH uses); returns {a, b, c}. */
  static int[] mix(int a, int b, int c) {
    a -= b; a -= c; a ^= c >>> 13;
    b -= c; b -= a; b ^= a << 8;
    c -= a; c -= b; c ^= b >>> 13;
    a -= b; a -= c; a ^= c >>> 12;
    b -= c; b -= a; b ^= a << 16;
    c -= a; c -= b; c ^= b >>> 5;
    a -= b; a -= c; a ^= c >>> 3;
    b -= c; b -= a; b ^= a << 10;
    c -= a; c -= b; c ^= b >>> 15;
    return new int[] {a, b, c};
  }

  /** CRUSH's rjenkins1 hash of two values. */
  public static int hash2(int a, int b) {
    int h = SEED ^ a ^ b;
    int x = 231232;
    int y = 1232;
    int[] m = mix(a, b, h);
    a = m[0]; b = m[1]; h = m[2];
    m = mix(x, a, h);
    x = m[0]; a = m[1]; h = m[2];
    m = mix(b, y, h);
    return m[2];
  }

  /** CRUSH's rjenkins1 hash of three values. */
  public static int hash3(int a, int b, int c) {
    int h = SEED ^ a ^ b ^ c;
    int x = 231232;
    int y = 1232;
    int[] m = mix(a, b, h);
    a = m[0]; b = m[1]; h = m[2];
    m = mix(c, x, h);
    c = m[0]; x = m[1]; h = m[2];
    m = mix(y, a, h);
    y = m[0]; a = m[1]; h = m[2];
    m = mix(b, x, h);
    b = m[0]; x = m[1]; h = m[2];
    m = mix(y, c, h);
    return m[2];
  }

  /** Smallest all-ones mask covering n - 1 (Ceph's pg_num_mask); 0 for n = 1. */
  public static int maskFor(int n) {
    if (n <= 1) {
      return 0;
    }
    return (int) ((1L << (32 - Integer.numberOfLeadingZeros(n - 1))) - 1);
  }

  /**
   * Ceph's {@code ceph_stable_mod}: x folded onto [0, b) so that raising b moves only the values
   * that land in the new bins. x is treated as unsigned; bmask = {@link #maskFor}(b).
   */
  public static int stableMod(int x, int b, int bmask) {
    if (Integer.compareUnsigned(x & bmask, b) < 0) {
      return x & bmask;
    }
    return x & (bmask >>> 1);
  }

  /** The PG of an object in a pool. */
  public static PgId objectToPg(Pool pool, String name) {
    return new PgId(pool.id(), stableMod(strHash(name), pool.pgNum(), pool.pgNumMask()));
  }

  /** Placement seed of a PG, as Ceph's hashpspool pools: the seed hashed with the pool id. */
  public static int placementSeed(PgId pg, Pool pool) {
    return hash2(stableMod(pg.seed(), pool.pgNum(), pool.pgNumMask()), pg.pool());
  }

  /**
   * The raw CRUSH result: up to size distinct in OSDs (up or not), in replica order. Fewer when
   * fewer OSDs are in.
   */
  public static List<Integer> crush(PgId pg, Pool pool, Map<Integer, OsdInfo> osds) {
    int x = placementSeed(pg, pool);
    List<OsdInfo> candidates = new ArrayList<>();
    for (OsdInfo o : osds.values()) {
      if (o.exists()) {
        candidates.add(o);
      }
    }
    List<Integer> out = new ArrayList<>(pool.size());
    if (candidates.isEmpty()) {
      return out;
    }
    for (int rep = 0; rep < pool.size(); rep++) {
      for (int ftotal = 0; ftotal < TOTAL_TRIES; ftotal++) {
        OsdInfo chosen = straw2(candidates, x, rep + ftotal);
        if (!out.contains(chosen.id()) && chosen.isIn()) {
          out.add(chosen.id());
          break;
        }
      }
    }
    return out;
  }

  /** One straw2 draw: the candidate with the largest ln(u)/weight, first one on ties. */
  private static OsdInfo straw2(List<OsdInfo> candidates, int x, int r) {
    OsdInfo best = null;
    double bestDraw = 0;
    for (OsdInfo o : candidates) {
      int u = hash3(x, o.id(), r) & 0xffff;
      // ln((u+1)/65536) is in [-11.09, 0]; divided by the CRUSH weight (1.0 for every OSD here).
      double draw = StrictMath.log((u + 1) / 65536.0) / 1.0;
      if (best == null || draw > bestDraw) {
        best = o;
        bestDraw = draw;
      }
    }
    return best;
  }

  /** Up and acting sets of a PG given the map's OSDs and pg_temp (null or empty = none). */
  public static UpActing upActing(PgId pg, Pool pool, Map<Integer, OsdInfo> osds, List<Integer> pgTemp) {
    List<Integer> up = new ArrayList<>();
    for (int id : crush(pg, pool, osds)) {
      OsdInfo o = osds.get(id);
      if (o != null && o.up()) {
        up.add(id);
      }
    }
    int upPrimary = up.isEmpty() ? -1 : up.get(0);
    List<Integer> acting = up;
    if (pgTemp != null && !pgTemp.isEmpty()) {
      // As Ceph: down pg_temp members are left out; a pg_temp with none up falls back to up.
      List<Integer> temp = new ArrayList<>();
      for (int id : pgTemp) {
        OsdInfo o = osds.get(id);
        if (o != null && o.up()) {
          temp.add(id);
        }
      }
      if (!temp.isEmpty()) {
        acting = temp;
      }
    }
    int actingPrimary = acting.isEmpty() ? -1 : acting.get(0);
    return new UpActing(up, upPrimary, acting, actingPrimary);
  }
}
