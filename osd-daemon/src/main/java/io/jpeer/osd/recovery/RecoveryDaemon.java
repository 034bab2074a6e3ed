package io.jpeer.osd.recovery;

import io.jpeer.core.machine.PeeringEvent;
import io.jpeer.core.machine.PeeringMachine;
import io.jpeer.core.types.PgId;
import io.jpeer.store.ObjectStore;
import io.jpeer.store.Transaction;

/** What recovery may touch in the OSD daemon (every call on the daemon thread). */
public interface RecoveryDaemon {
  int whoami();

  long epoch();

  /** The PG's machine (read it, don't feed it), or null if the PG is not held here. */
  PeeringMachine machine(PgId pgid);

  boolean isUp(int osd);

  ObjectStore store();

  /** Runs the event through the PG on its own, its state change stored as usual. */
  void feed(PgId pgid, PeeringEvent ev);

  /**
   * Runs the event with its state change added to {@code t}, stores {@code t} on its own, and only
   * then sends what the event caused and retries the ops it unblocked. False: the store failed.
   */
  boolean applyWithEvent(PgId pgid, PeeringEvent ev, Transaction t);

  /**
   * As {@link #applyWithEvent}, but {@code t} joins the writes being grouped for one sync (the
   * messages drained together), if any; {@code stored} or {@code failed} runs once that is known,
   * and what the event sends waits for it too.
   */
  void applyGrouped(PgId pgid, PeeringEvent ev, Transaction t, Runnable stored, Runnable failed);

  void sendToOsd(int osd, int type, com.google.protobuf.Message body);

  /** Runs {@code r} on the daemon thread once the map of {@code epoch} has been applied. */
  void afterMap(long epoch, Runnable r);

  /** Runs {@code r} on the daemon thread after the current task (never inside a store batch). */
  void later(Runnable r);

  /** osd_recovery_max_active: pulls and pushes in flight on this OSD. */
  int maxActive();

  /** osd_debug_norecover: no background recovery (ops still recover the objects they wait for). */
  boolean noRecover();

  /** osd_min_pg_log_entries: what a clean PG keeps of its log. */
  int minPgLogEntries();

  /** osd_max_pg_log_entries: what any PG keeps at most. */
  int maxPgLogEntries();
}
