package io.jpeer.store;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Whose store this is: the cluster fsid and OSD id, recorded in the store's {@code meta}
 * collection when it is created (as Ceph's ObjectStore keeps its fsid and whoami) and checked on
 * every open, so a data directory's {@code db/} swapped for another OSD's is refused.
 */
public record StoreIdentity(String fsid, int osdId) {
  static final String META = "meta";
  static final String FSID = "fsid";
  static final String WHOAMI = "whoami";

  /** The identity recorded in {@code store}, if any. */
  static Optional<StoreIdentity> read(ObjectStore store) throws StoreException {
    if (!store.collectionExists(META)) {
      return Optional.empty();
    }
    Optional<byte[]> fsid = store.omapGet(META, FSID);
    Optional<byte[]> who = store.omapGet(META, WHOAMI);
    if (fsid.isEmpty() && who.isEmpty()) {
      return Optional.empty();
    }
    if (fsid.isEmpty() || who.isEmpty()) {
      throw new StoreException("its recorded identity is incomplete (" + (fsid.isEmpty() ? FSID : WHOAMI)
          + " missing)");
    }
    String w = new String(who.get(), StandardCharsets.UTF_8);
    try {
      return Optional.of(new StoreIdentity(new String(fsid.get(), StandardCharsets.UTF_8), Integer.parseInt(w)));
    } catch (NumberFormatException e) {
      throw new StoreException("its recorded osd id '" + w + "' is not a number");
    }
  }

  /** Refuses a store recorded as someone else's; reads only. */
  void check(ObjectStore store, Object where) throws StoreException {
    Optional<StoreIdentity> have;
    try {
      have = read(store);
    } catch (StoreException e) {
      throw new StoreException("store " + where + ": " + e.getMessage());
    }
    if (have.isPresent() && !have.get().equals(this)) {
      StoreIdentity h = have.get();
      throw new StoreException("store " + where + " belongs to " + (h.fsid().equals(fsid) ? "" : "cluster " + h.fsid()
          + " ") + "osd." + h.osdId() + ", not " + (h.fsid().equals(fsid) ? "" : "cluster " + fsid + " ") + "osd."
          + osdId);
    }
  }

  /** Records this identity in a store that has none yet (a new store, or one made before stores recorded it). */
  void recordIfAbsent(ObjectStore store) throws StoreException {
    if (read(store).isPresent()) {
      return;
    }
    Transaction t = new Transaction();
    if (!store.collectionExists(META)) {
      t.createCollection(META);
    }
    t.omapSet(META, FSID, fsid.getBytes(StandardCharsets.UTF_8));
    t.omapSet(META, WHOAMI, Integer.toString(osdId).getBytes(StandardCharsets.UTF_8));
    store.apply(t);
  }
}
