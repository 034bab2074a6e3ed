package io.jpeer.core.interval;

import java.util.List;

/** Ceph's pg_interval_t: one closed interval of unchanged up/acting/primaries. */
public record PgInterval(long first, long last, List<Integer> up, List<Integer> acting, int upPrimary, int primary,
    boolean maybeWentRw) {
  public PgInterval {
    up = List.copyOf(up);
    acting = List.copyOf(acting);
  }
}
