package io.jpeer.core.machine;

import io.jpeer.core.types.Eversion;
import java.util.List;
import java.util.Map;

/**
 * Ceph's find_best_info, explained: the two bounds, which infos were excluded and why, the
 * candidates left, and which tie-break rules (in order) narrowed them to the chosen shard.
 * {@code osd} is -1 and {@code minLastUpdateAcceptable} null when nothing qualifies.
 */
public record AuthChoice(int osd, List<String> decidedBy, List<Integer> candidates, Map<Integer, String> excluded,
    long maxLastEpochStarted, Eversion minLastUpdateAcceptable, boolean historyLesBound) {

  public boolean found() {
    return osd >= 0;
  }
}
