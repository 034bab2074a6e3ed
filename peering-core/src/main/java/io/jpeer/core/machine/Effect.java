package io.jpeer.core.machine;

import io.jpeer.core.interval.PastIntervals;
import io.jpeer.core.types.PgInfo;
import io.jpeer.core.types.PgLog;
import io.jpeer.core.types.PgMissing;
import java.util.List;

/** What the runtime must do after the machine handled an event, in order. */
public sealed interface Effect {
  /** Send a peering message to {@code message.to()}. */
  record Send(PeeringMessage message) implements Effect {}

  /** Store the PG's state (one transaction), before the messages that follow are sent. */
  record Persist(PgInfo info, PgLog log, PgMissing missing, PastIntervals pastIntervals) implements Effect {}

  /** Objects the log merge says to delete from the local store. */
  record RemoveObjects(List<String> oids) implements Effect {}

  /** Ask the monitor for up_thru at least {@code epoch} (MOSDAlive). */
  record NeedUpThru(long epoch) implements Effect {}

  /** Ask the monitor for pg_temp = {@code osds} (empty: clear it). */
  record RequestPgTemp(List<Integer> osds) implements Effect {}

  /**
   * Start (or go on with) recovery or backfill for this PG (Ceph's queue_recovery). What to
   * recover and from where is read from the machine: missing(), peerMissing(), missingLocations().
   */
  record QueueRecovery() implements Effect {}

  /** Tell stray {@code osd} to delete its copy of the PG (Ceph's MOSDPGRemove from purge_strays). */
  record RemoveStray(int osd) implements Effect {}

  /** Feed this event back once the transaction commits (after this event's messages). */
  record Queue(PeeringEvent event) implements Effect {}

  /** The machine entered a state (full name, e.g. Started/Primary/Peering/GetInfo). */
  record StateEntered(String state, long epoch) implements Effect {}

  record StateExited(String state, long epoch) implements Effect {}
}
