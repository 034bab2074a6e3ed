package io.jpeer.osd.recovery;

import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.PgId;

/**
 * One pull or push in flight. {@code target} is where the object lands (the primary itself for a
 * pull, the replica for a push); {@code peer} is who answers (the source, or the replica);
 * {@code bytes}: what a push carries (a pull's size is known when it arrives).
 */
record RecoveryOp(Key key, int peer, Eversion version, long interval, long startedNanos, long bytes) {
  record Key(PgId pgid, String oid, int target) {}

  boolean isPull(int whoami) {
    return key.target() == whoami;
  }
}
