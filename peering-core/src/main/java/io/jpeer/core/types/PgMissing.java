package io.jpeer.core.types;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Ceph's pg_missing_t as an immutable value: per object the version it needs and the version it
 * has ({@code 0'0}: no usable copy), keyed in object order. Algorithms change a {@link Builder}.
 */
public final class PgMissing {
  /** One missing object. */
  public record Item(Eversion need, Eversion have, boolean isDelete) {}

  public static final PgMissing EMPTY = new PgMissing(false, new TreeMap<>());

  private final boolean mayIncludeDeletes;
  private final NavigableMap<String, Item> items;

  private PgMissing(boolean mayIncludeDeletes, NavigableMap<String, Item> items) {
    this.mayIncludeDeletes = mayIncludeDeletes;
    this.items = Collections.unmodifiableNavigableMap(items);
  }

  public static PgMissing of(boolean mayIncludeDeletes, Map<String, Item> items) {
    return new PgMissing(mayIncludeDeletes, new TreeMap<>(items));
  }

  public boolean mayIncludeDeletes() {
    return mayIncludeDeletes;
  }

  /** Items in object order. */
  public NavigableMap<String, Item> items() {
    return items;
  }

  public boolean isEmpty() {
    return items.isEmpty();
  }

  public int size() {
    return items.size();
  }

  public boolean isMissing(String oid) {
    return items.containsKey(oid);
  }

  public Item get(String oid) {
    return items.get(oid);
  }

  /** The smallest need, or null when nothing is missing. */
  public Eversion oldestNeed() {
    return oldestNeed(items);
  }

  private static Eversion oldestNeed(Map<String, Item> items) {
    Eversion min = null;
    for (Item i : items.values()) {
      if (min == null || i.need().isBefore(min)) {
        min = i.need();
      }
    }
    return min;
  }

  public Builder toBuilder() {
    return new Builder(mayIncludeDeletes, new TreeMap<>(items));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PgMissing m && m.mayIncludeDeletes == mayIncludeDeletes && m.items.equals(items);
  }

  @Override
  public int hashCode() {
    return items.hashCode() * 31 + (mayIncludeDeletes ? 1 : 0);
  }

  @Override
  public String toString() {
    return "missing" + items;
  }

  /**
   * The mutable form used inside algorithms. Each change that writes an item sets {@link #dirty}
   * (what the store must rewrite).
   */
  public static final class Builder {
    private boolean mayIncludeDeletes;
    private final TreeMap<String, Item> items;
    private boolean dirty;

    public Builder(boolean mayIncludeDeletes) {
      this(mayIncludeDeletes, new TreeMap<>());
    }

    private Builder(boolean mayIncludeDeletes, TreeMap<String, Item> items) {
      this.mayIncludeDeletes = mayIncludeDeletes;
      this.items = items;
    }

    public boolean mayIncludeDeletes() {
      return mayIncludeDeletes;
    }

    public Builder mayIncludeDeletes(boolean v) {
      mayIncludeDeletes = v;
      return this;
    }

    public boolean dirty() {
      return dirty;
    }

    public boolean isMissing(String oid) {
      return items.containsKey(oid);
    }

    public Item get(String oid) {
      return items.get(oid);
    }

    public boolean isEmpty() {
      return items.isEmpty();
    }

    public int size() {
      return items.size();
    }

    public NavigableMap<String, Item> view() {
      return Collections.unmodifiableNavigableMap(items);
    }

    /**
     * Ceph's add_next_event, applied in log order: a creation needs the object from scratch, an
     * object already missing keeps what it has, any other object has the entry's prior version.
     */
    public void addNextEvent(LogEntry e) {
      Item old = items.get(e.oid());
      Item next;
      if (e.isCreation()) {
        next = new Item(e.version(), Eversion.ZERO, e.isDelete());
      } else if (old != null) {
        next = new Item(e.version(), old.have(), e.isDelete());
      } else {
        next = new Item(e.version(), e.priorVersion(), e.isDelete());
      }
      items.put(e.oid(), next);
      dirty = true;
    }

    /** Sets the need, keeping what is had (0'0 for a new item). */
    public void reviseNeed(String oid, Eversion need, boolean isDelete) {
      Item old = items.get(oid);
      items.put(oid, new Item(need, old == null ? Eversion.ZERO : old.have(), isDelete));
      dirty = true;
    }

    /** Sets what is had, for an item that exists; returns whether one did. */
    public boolean reviseHave(String oid, Eversion have) {
      Item old = items.get(oid);
      if (old == null) {
        return false;
      }
      items.put(oid, new Item(old.need(), have, old.isDelete()));
      dirty = true;
      return true;
    }

    public void add(String oid, Eversion need, Eversion have, boolean isDelete) {
      items.put(oid, new Item(need, have, isDelete));
      dirty = true;
    }

    /** Removes the item if it needs at most {@code v}; returns whether it did. */
    public boolean rm(String oid, Eversion v) {
      Item old = items.get(oid);
      if (old != null && old.need().atMost(v)) {
        items.remove(oid);
        dirty = true;
        return true;
      }
      return false;
    }

    /** Removes the item whatever it needs; returns whether there was one. */
    public boolean remove(String oid) {
      if (items.remove(oid) != null) {
        dirty = true;
        return true;
      }
      return false;
    }

    /** The object was recovered at {@code v}: it must have needed at most v (or be a delete). */
    public void got(String oid, Eversion v) {
      Item old = items.get(oid);
      if (old == null) {
        throw new IllegalStateException("got " + oid + " " + v + " but it is not missing");
      }
      if (!old.isDelete() && old.need().isAfter(v)) {
        throw new IllegalStateException("got " + oid + " " + v + " but it needs " + old.need());
      }
      items.remove(oid);
      dirty = true;
    }

    public Eversion oldestNeed() {
      return PgMissing.oldestNeed(items);
    }

    public PgMissing build() {
      return new PgMissing(mayIncludeDeletes, new TreeMap<>(items));
    }
  }
}
