package io.jpeer.core.machine;

import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.PgMissing;

/**
 * What GetMissing decided for one peer (Ceph's GetMissing constructor, in its order), and once the
 * peer's log came back, what proc_replica_log worked out ({@code result}, else null).
 */
public record GetMissingDecision(String decision, Eversion since, Result result) {
  /** The peer's last_update and last_complete as adjusted, and its missing set. */
  public record Result(Eversion lastUpdate, Eversion lastComplete, PgMissing missing) {}

  public GetMissingDecision withResult(Result r) {
    return new GetMissingDecision(decision, since, r);
  }
}
