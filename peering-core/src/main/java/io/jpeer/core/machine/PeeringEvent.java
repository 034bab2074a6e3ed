package io.jpeer.core.machine;

import io.jpeer.core.interval.OsdMapView;

/** What the runtime feeds a PG's machine. Time and maps arrive only through these. */
public sealed interface PeeringEvent {
  /** Start: Initial to Reset. */
  record Initialize() implements PeeringEvent {}

  /** A new map epoch (one per epoch, in order), then {@link ActMap}. */
  record AdvMap(OsdMapView map) implements PeeringEvent {}

  record ActMap() implements PeeringEvent {}

  /** A peering message from another OSD (checked for staleness before it reaches a state). */
  record MessageReceived(PeeringMessage message) implements PeeringEvent {}

  /** The activation transaction is durable (queued by the machine through {@link Effect.Queue}). */
  record ActivateCommitted(long epoch, long activationEpoch) implements PeeringEvent {}

  /** After all replicas activated, one of these three says what comes next. */
  record DoRecovery() implements PeeringEvent {}

  record RequestBackfill() implements PeeringEvent {}

  record AllReplicasRecovered() implements PeeringEvent {}

  /** The runtime's recovery reservation was granted (local and remote): recovery may run. */
  record RecoveryReserved() implements PeeringEvent {}

  /** The runtime's backfill reservation was granted: backfill may run. */
  record BackfillReserved() implements PeeringEvent {}

  /**
   * Recovery progress: {@code osd} now holds {@code oid} at {@code version} (pulled by the
   * primary, or pushed to a replica and acknowledged). On the primary it updates its own missing
   * set or that peer's; on a replica, fed with {@code osd} = itself, its own.
   */
  record ObjectRecovered(String oid, io.jpeer.core.types.Eversion version, int osd) implements PeeringEvent {}

  /** Every backfill target is complete. */
  record Backfilled() implements PeeringEvent {}

  /**
   * A client write the primary ordered (or a replica received from it): append the entry to the
   * log. Only an active PG takes it; the runtime stores the object data in the same transaction.
   */
  record AppendLog(io.jpeer.core.types.LogEntry entry) implements PeeringEvent {}

  /**
   * The primary's writes up to {@code committed} are on every acting shard: trim the log to keep
   * osd_min_pg_log_entries when clean, osd_max_pg_log_entries otherwise (Ceph's calc_trim_to).
   */
  record TrimLog(io.jpeer.core.types.Eversion committed, int minEntries, int maxEntries) implements PeeringEvent {}

  /** A replica is told by its primary to trim to {@code trimTo} (Ceph's MOSDPGTrim / pg_trim_to). */
  record TrimLogTo(io.jpeer.core.types.Eversion trimTo) implements PeeringEvent {}

  /**
   * Backfill progress: {@code osd} holds every object up to {@code lastBackfill}. The primary
   * records it for that peer; a backfill target, fed with {@code osd} = itself, stores it in its info.
   */
  record BackfillProgress(int osd, String lastBackfill) implements PeeringEvent {}
}
