package io.jpeer.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A batch of changes applied all together or not at all (Ceph's ObjectStore::Transaction):
 * every state change of a PG (info, log entries, missing items, object data) is one transaction,
 * so a daemon killed at any moment restarts from a consistent state.
 */
public final class Transaction {
  /** One change. */
  public sealed interface Op {
    record CreateCollection(String coll) implements Op {}

    record RemoveCollection(String coll) implements Op {}

    record Write(String coll, String name, byte[] data, Map<String, byte[]> attrs) implements Op {}

    record Remove(String coll, String name) implements Op {}

    record OmapSet(String coll, String key, byte[] value) implements Op {}

    record OmapRemove(String coll, String key) implements Op {}

    /** Removes omap keys in [from, to). */
    record OmapRemoveRange(String coll, String from, String to) implements Op {}
  }

  private final List<Op> ops = new ArrayList<>();
  private boolean sync = true;

  public Transaction createCollection(String coll) {
    ops.add(new Op.CreateCollection(coll));
    return this;
  }

  public Transaction removeCollection(String coll) {
    ops.add(new Op.RemoveCollection(coll));
    return this;
  }

  /** Replaces the object's data and attributes. */
  public Transaction write(String coll, String name, byte[] data, Map<String, byte[]> attrs) {
    ops.add(new Op.Write(coll, name, data.clone(), Map.copyOf(attrs)));
    return this;
  }

  public Transaction remove(String coll, String name) {
    ops.add(new Op.Remove(coll, name));
    return this;
  }

  public Transaction omapSet(String coll, String key, byte[] value) {
    ops.add(new Op.OmapSet(coll, key, value.clone()));
    return this;
  }

  public Transaction omapRemove(String coll, String key) {
    ops.add(new Op.OmapRemove(coll, key));
    return this;
  }

  public Transaction omapRemoveRange(String coll, String from, String to) {
    ops.add(new Op.OmapRemoveRange(coll, from, to));
    return this;
  }

  /** Adds every change of {@code other}, in order (its sync flag is not taken). */
  public Transaction append(Transaction other) {
    ops.addAll(other.ops);
    return this;
  }

  /** Whether apply must reach stable storage before returning (default true). */
  public Transaction sync(boolean v) {
    sync = v;
    return this;
  }

  public boolean sync() {
    return sync;
  }

  public List<Op> ops() {
    return Collections.unmodifiableList(ops);
  }

  public boolean isEmpty() {
    return ops.isEmpty();
  }
}
