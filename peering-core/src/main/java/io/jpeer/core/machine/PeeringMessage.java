package io.jpeer.core.machine;

import io.jpeer.core.interval.PastIntervals;
import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.PgHistory;
import io.jpeer.core.types.PgId;
import io.jpeer.core.types.PgInfo;
import io.jpeer.core.types.PgLog;
import io.jpeer.core.types.PgMissing;

/**
 * The peering messages between OSDs, as core values (the daemons map them to protobuf). Each says
 * which epochs it belongs to, so stale ones can be dropped (peering.md §3.15).
 */
public sealed interface PeeringMessage {
  PgId pgid();

  int from();

  int to();

  /** The epoch the sender was at. */
  long epochSent();

  /** The epoch of the query this answers (or the sender's peering reset). */
  long epochRequested();

  /** What a pg_query asks for. */
  enum QueryType {
    INFO(0), LOG(1), MISSING(4), FULLLOG(5);

    public final int code;

    QueryType(int code) {
      this.code = code;
    }

    public static QueryType fromCode(int code) {
      for (QueryType t : values()) {
        if (t.code == code) {
          return t;
        }
      }
      return null;
    }
  }

  /** MOSDPGQuery2: primary to peer; {@code since} only for LOG. */
  record Query(PgId pgid, QueryType type, Eversion since, PgHistory history, long epochSent, int from, int to)
      implements PeeringMessage {
    @Override
    public long epochRequested() {
      return epochSent;
    }
  }

  /** MOSDPGNotify2: a peer's info for the primary (an INFO answer, or unsolicited). */
  record Notify(PgId pgid, long queryEpoch, long epochSent, PgInfo info, PastIntervals pastIntervals, int from, int to)
      implements PeeringMessage {
    @Override
    public long epochRequested() {
      return queryEpoch;
    }
  }

  /** MOSDPGLog: a LOG/FULLLOG answer, or the primary's activation of a replica. */
  record Log(PgId pgid, long epoch, long queryEpoch, PgInfo info, PgLog log, PgMissing missing,
      PastIntervals pastIntervals, int from, int to) implements PeeringMessage {
    @Override
    public long epochSent() {
      return epoch;
    }

    @Override
    public long epochRequested() {
      return queryEpoch;
    }
  }

  /** MOSDPGInfo2: activation of an up-to-date peer, an info share, or a replica's activation ack. */
  record Info(PgId pgid, long epochSent, long minEpoch, PgInfo info, PastIntervals pastIntervals, int from, int to)
      implements PeeringMessage {
    @Override
    public long epochRequested() {
      return minEpoch;
    }
  }
}
