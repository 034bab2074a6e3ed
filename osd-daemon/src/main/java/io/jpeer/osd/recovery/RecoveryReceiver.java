package io.jpeer.osd.recovery;

import io.jpeer.core.machine.PeeringEvent;
import io.jpeer.core.machine.PeeringMachine;
import io.jpeer.core.machine.PeeringStateName;
import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.PgMissing;
import io.jpeer.osd.OsdMessages;
import io.jpeer.store.StoreException;
import io.jpeer.store.StoredObject;
import io.jpeer.store.Transaction;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The non-primary side of recovery: a source answers the primary's pull from its store (Ceph's
 * handle_pull), and a replica stores a pushed object (or removes a deleted one) in the same
 * transaction as its missing set shrinks, then acknowledges (handle_push).
 */
final class RecoveryReceiver {
  private static final Logger log = LoggerFactory.getLogger(RecoveryReceiver.class);
  static final int ENOENT = -2;
  static final int EIO = -5;

  private final RecoveryDaemon d;

  RecoveryReceiver(RecoveryDaemon d) {
    this.d = d;
  }

  void pull(int from, RecoveryMessage.Pull p, PeeringMachine m) {
    RecoveryMessage.Push answer;
    Optional<StoredObject> o;
    try {
      o = m == null ? Optional.empty() : d.store().read(p.pgid().toString(), p.oid());
    } catch (StoreException e) {
      log.error("pg {} e{} cannot read {} for osd.{}'s pull: {}", p.pgid(), d.epoch(), p.oid(), from, e.getMessage());
      o = Optional.empty();
    }
    Eversion v = o.map(ObjectVersion::of).orElse(null);
    if (v == null) {
      log.info("pg {} e{} osd.{} pulls {} {}, which is not here", p.pgid(), d.epoch(), from, p.oid(), p.version());
      answer = new RecoveryMessage.Push(p.pgid(), d.epoch(), p.oid(), Eversion.ZERO, new byte[0], Map.of(), false,
          ENOENT);
    } else {
      answer = RecoveryMessage.Push.of(p.pgid(), d.epoch(), p.oid(), v, o.get());
    }
    d.sendToOsd(from, OsdMessages.MOSD_PG_PUSH, RecoveryMessage.encode(answer));
  }

  void push(int from, RecoveryMessage.Push p, PeeringMachine m) {
    if (m.mapping().actingPrimary() != from) {
      log.warn("pg {} e{} push of {} from osd.{}, not the acting primary; dropped", p.pgid(), d.epoch(), p.oid(), from);
      return;
    }
    if (!m.state().isWithin(PeeringStateName.REPLICA_ACTIVE)) {
      log.info("pg {} e{} push of {} from osd.{} before this replica is active ({}); dropped", p.pgid(), d.epoch(),
          p.oid(), from, m.stateName());
      return;
    }
    PgMissing.Item item = m.missing().get(p.oid());
    int result = 0;
    if (item == null) {
      // Not in our missing set (a push repeated after a lost reply): the primary's word counts,
      // so an older or absent copy is still replaced; the same or a newer one is kept.
      result = storeUnlisted(p, !io.jpeer.core.types.ObjectNames.MAX.equals(m.info().lastBackfill()));
    } else if (!p.isDelete() && item.need().isAfter(p.version())) {
      log.warn("pg {} e{} osd.{} pushed {} {} but {} is needed; refused", p.pgid(), d.epoch(), from, p.oid(),
          p.version(), item.need());
      result = ENOENT;
    } else {
      Transaction t = new Transaction();
      String coll = p.pgid().toString();
      if (p.isDelete()) {
        t.remove(coll, p.oid());
      } else {
        t.write(coll, p.oid(), p.data(), ObjectVersion.withVersion(p.attrs(), p.version()));
      }
      Eversion got = p.isDelete() ? item.need() : p.version();
      // Acknowledged once durable; pushes drained together share one sync.
      d.applyGrouped(p.pgid(), new PeeringEvent.ObjectRecovered(p.oid(), got, d.whoami()), t,
          () -> pushReply(from, p, 0), () -> pushReply(from, p, EIO));
      return;
    }
    pushReply(from, p, result);
  }

  private void pushReply(int to, RecoveryMessage.Push p, int result) {
    d.sendToOsd(to, OsdMessages.MOSD_PG_PUSH_REPLY, RecoveryMessage.encode(
        new RecoveryMessage.PushReply(p.pgid(), d.epoch(), p.oid(), p.version(), result)));
  }

  /** {@code backfill}: this shard is being backfilled, and the primary's copy replaces any here. */
  private int storeUnlisted(RecoveryMessage.Push p, boolean backfill) {
    String coll = p.pgid().toString();
    try {
      Optional<StoredObject> have = d.store().read(coll, p.oid());
      Eversion v = have.map(ObjectVersion::of).orElse(null);
      Transaction t = new Transaction();
      if (p.isDelete() && have.isPresent()) {
        t.remove(coll, p.oid());
      } else if (!p.isDelete() && (backfill || v == null || p.version().isAfter(v))) {
        t.write(coll, p.oid(), p.data(), ObjectVersion.withVersion(p.attrs(), p.version()));
      }
      if (!t.isEmpty()) {
        if (!backfill) {
          log.info("pg {} e{} pushed {} {} was not listed missing here; stored anyway (had {})", p.pgid(), d.epoch(),
              p.oid(), p.version(), v);
        }
        d.store().apply(t);
      }
      return 0;
    } catch (StoreException e) {
      log.error("pg {} e{} cannot store pushed {} {}: {}", p.pgid(), d.epoch(), p.oid(), p.version(), e.getMessage());
      return EIO;
    }
  }
}
