package io.jpeer.map;

import java.util.List;

/**
 * Where a PG lives in one map: the up set (CRUSH result filtered to up OSDs), its primary, the
 * acting set (pg_temp if set, else up) and the acting primary. Primaries are -1 when the set is
 * empty.
 */
public record UpActing(List<Integer> up, int upPrimary, List<Integer> acting, int actingPrimary) {
  public UpActing {
    up = List.copyOf(up);
    acting = List.copyOf(acting);
  }
}
