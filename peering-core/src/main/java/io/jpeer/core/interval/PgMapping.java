package io.jpeer.core.interval;

import java.util.List;

/** Where a PG maps in one map epoch: up and acting sets (in order) and their primaries (-1: none). */
public record PgMapping(List<Integer> up, int upPrimary, List<Integer> acting, int actingPrimary) {
  public PgMapping {
    up = List.copyOf(up);
    acting = List.copyOf(acting);
  }
}
