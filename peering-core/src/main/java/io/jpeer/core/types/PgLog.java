package io.jpeer.core.types;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.TreeMap;

/**
 * Ceph's pg_log_t with its object index (IndexedLog): entries oldest first covering
 * {@code (tail, head]}, and for each object its newest non-error entry. Immutable; algorithms work
 * on a {@link Builder}.
 *
 * <p>A client write appends one entry and the clean PG trims one: both must cost O(1), not a copy
 * of the log. So logs are windows {@code [start, end)} on an append-only array shared by the logs
 * derived from one another; appending to the newest window fills the next free slot in place
 * (older windows never see it), trimming moves {@code start}. Slots inside a window never change.
 */
public final class PgLog {
  public static final PgLog EMPTY = new PgLog(Eversion.ZERO, Eversion.ZERO, Eversion.ZERO, List.of());

  private final Eversion tail;
  private final Eversion head;
  private final Eversion canRollbackTo;
  private final Backing backing;
  private final int start;
  private final int end;
  private final List<LogEntry> entries;
  private Map<String, LogEntry> objects; // built lazily: many logs are only passed along

  public PgLog(Eversion tail, Eversion head, Eversion canRollbackTo, List<LogEntry> entries) {
    this(tail, head, canRollbackTo, Backing.of(entries), 0, entries.size());
  }

  private PgLog(Eversion tail, Eversion head, Eversion crt, Backing backing, int start, int end) {
    this.tail = tail;
    this.head = head;
    this.canRollbackTo = crt;
    this.backing = backing;
    this.start = start;
    this.end = end;
    this.entries = new Window(backing.slots(), start, end);
  }

  /** A log of entries whose head is the newest entry (or the tail when empty). */
  public static PgLog of(Eversion tail, List<LogEntry> entries) {
    Eversion head = entries.isEmpty() ? tail : entries.get(entries.size() - 1).version();
    return new PgLog(tail, head, Eversion.ZERO, entries);
  }

  public Eversion tail() {
    return tail;
  }

  public Eversion head() {
    return head;
  }

  public Eversion canRollbackTo() {
    return canRollbackTo;
  }

  /** Oldest first. */
  public List<LogEntry> entries() {
    return entries;
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public int size() {
    return entries.size();
  }

  /** Each object's newest non-error entry. */
  public synchronized Map<String, LogEntry> objects() {
    if (objects == null) {
      objects = Collections.unmodifiableMap(index(entries));
    }
    return objects;
  }

  /** The object index in object order, as printed. */
  public TreeMap<String, Eversion> objectVersions() {
    TreeMap<String, Eversion> m = new TreeMap<>();
    objects().forEach((k, v) -> m.put(k, v.version()));
    return m;
  }

  /** Entries newer than {@code v} (Ceph's copy_after): tail is the newest entry at or below v. */
  public PgLog copyAfter(Eversion v) {
    int i = entries.size();
    while (i > 0 && entries.get(i - 1).version().isAfter(v)) {
      i--;
    }
    Eversion newTail = i > 0 ? entries.get(i - 1).version() : tail;
    return new PgLog(Eversion.max(newTail, tail), head, canRollbackTo, backing, start + i, end);
  }

  /** The newest {@code n} entries (Ceph's copy_up_to): tail is the version just before them. */
  public PgLog copyUpTo(int n) {
    int from = Math.max(0, entries.size() - n);
    Eversion newTail = from > 0 ? entries.get(from - 1).version() : tail;
    return new PgLog(newTail, head, canRollbackTo, backing, start + from, end);
  }

  /**
   * This log with {@code e} (newer than every entry) appended as the new head: O(1) amortized,
   * the way a write extends the log.
   */
  public PgLog appended(LogEntry e, Eversion newCanRollbackTo) {
    if (!e.version().isAfter(head)) {
      throw new IllegalArgumentException("entry " + e.version() + " is not after head " + head);
    }
    if (backing.appendAt(end, e)) {
      return new PgLog(tail, e.version(), newCanRollbackTo, backing, start, end + 1);
    }
    return new PgLog(tail, e.version(), newCanRollbackTo, Backing.grownFrom(entries, e), 0, entries.size() + 1);
  }

  /**
   * This log without its entries at or below {@code v} (Ceph's trim): the tail becomes {@code v}
   * (at most the head); O(entries trimmed).
   */
  public PgLog trimmedTo(Eversion v) {
    int n = 0;
    while (n < entries.size() && entries.get(n).version().atMost(v)) {
      n++;
    }
    Eversion newTail = Eversion.max(tail, head.isAfter(v) ? v : head);
    return new PgLog(newTail, head, canRollbackTo, backing, start + n, end);
  }

  /** The entry of a client request (Ceph's caller_ops), or null: how resent ops are recognised. */
  public LogEntry findByReqid(ReqId reqid) {
    int at = backing.positionOf(reqid);
    if (at < start) {
      return null; // never used, or only in entries trimmed away
    }
    // At or past the end: a newer log on the same backing used it again; this one may hold an older use.
    return at < end ? entries.get(at - start) : scanForReqid(reqid);
  }

  private LogEntry scanForReqid(ReqId reqid) {
    for (int i = entries.size() - 1; i >= 0; i--) {
      if (reqid.equals(entries.get(i).reqid())) {
        return entries.get(i);
      }
    }
    return null;
  }

  public Builder toBuilder() {
    return new Builder(tail, head, canRollbackTo, new ArrayList<>(entries));
  }

  static Map<String, LogEntry> index(List<LogEntry> entries) {
    Map<String, LogEntry> m = new HashMap<>(Math.max(16, entries.size() * 2));
    for (LogEntry e : entries) {
      if (!e.isError()) {
        m.put(e.oid(), e);
      }
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PgLog l && l.tail.equals(tail) && l.head.equals(head)
        && l.canRollbackTo.equals(canRollbackTo) && l.entries.equals(entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode() * 31 + head.hashCode();
  }

  @Override
  public String toString() {
    return "log(" + tail + "," + head + "] " + entries.size() + " entries";
  }

  /** The mutable log used inside algorithms; keeps the object index current. */
  public static final class Builder {
    private Eversion tail;
    private Eversion head;
    private Eversion canRollbackTo;
    private final ArrayList<LogEntry> entries;
    private Map<String, LogEntry> objects;

    public Builder(Eversion tail, Eversion head, Eversion canRollbackTo, ArrayList<LogEntry> entries) {
      this.tail = tail;
      this.head = head;
      this.canRollbackTo = canRollbackTo;
      this.entries = entries;
      this.objects = index(entries);
    }

    public Eversion tail() {
      return tail;
    }

    public Eversion head() {
      return head;
    }

    public Eversion canRollbackTo() {
      return canRollbackTo;
    }

    public List<LogEntry> entries() {
      return Collections.unmodifiableList(entries);
    }

    public LogEntry objectEntry(String oid) {
      return objects.get(oid);
    }

    public void setTail(Eversion v) {
      tail = v;
    }

    public void setHead(Eversion v) {
      head = v;
    }

    public void setCanRollbackTo(Eversion v) {
      canRollbackTo = v;
    }

    /** Appends an entry newer than every entry held. */
    public void append(LogEntry e) {
      entries.add(e);
      if (!e.isError()) {
        objects.put(e.oid(), e);
      }
    }

    /** Puts older entries in front of the log (a tail extension). */
    public void prepend(List<LogEntry> older) {
      entries.addAll(0, older);
      objects = index(entries);
    }

    /**
     * Detaches every entry whose counter is above {@code newHead}'s (Ceph's rewind_from_head) and
     * returns them oldest first; the caller checks they are all newer than newHead.
     */
    public List<LogEntry> cutAbove(Eversion newHead) {
      int i = entries.size();
      while (i > 0 && entries.get(i - 1).version().compareCounter(newHead) > 0) {
        i--;
      }
      if (i == entries.size()) {
        return List.of();
      }
      List<LogEntry> cut = new ArrayList<>(entries.subList(i, entries.size()));
      entries.subList(i, entries.size()).clear();
      objects = index(entries);
      return cut;
    }

    /** Drops entries at or below {@code v} from the old end; returns them oldest first. */
    public List<LogEntry> trimTo(Eversion v) {
      int n = 0;
      while (n < entries.size() && entries.get(n).version().atMost(v)) {
        n++;
      }
      List<LogEntry> trimmed = new ArrayList<>(entries.subList(0, n));
      if (n > 0) {
        entries.subList(0, n).clear();
        objects = index(entries);
      }
      return trimmed;
    }

    public PgLog build() {
      return new PgLog(tail, head, canRollbackTo, entries);
    }
  }

  /** An unmodifiable view of slots {@code [from, to)}, which nobody writes again. */
  private static final class Window extends AbstractList<LogEntry> implements RandomAccess {
    private final LogEntry[] slots;
    private final int from;
    private final int size;

    Window(LogEntry[] slots, int from, int to) {
      this.slots = slots;
      this.from = from;
      this.size = to - from;
    }

    @Override
    public LogEntry get(int i) {
      if (i < 0 || i >= size) {
        throw new IndexOutOfBoundsException("index " + i + ", size " + size);
      }
      return slots[from + i];
    }

    @Override
    public int size() {
      return size;
    }
  }

  /** The append-only array behind a family of logs, with the reqid index built on first use. */
  private static final class Backing {
    private final LogEntry[] slots;
    private int used;
    private Map<ReqId, Integer> byReqid;

    private Backing(LogEntry[] slots, int used) {
      this.slots = slots;
      this.used = used;
    }

    static Backing of(List<LogEntry> entries) {
      LogEntry[] a = entries.toArray(new LogEntry[0]);
      for (LogEntry e : a) {
        if (e == null) {
          throw new NullPointerException("null log entry");
        }
      }
      return new Backing(a, a.length);
    }

    LogEntry[] slots() {
      return slots;
    }

    /** A backing with room to grow, holding {@code window} and then {@code e}. */
    static Backing grownFrom(List<LogEntry> window, LogEntry e) {
      LogEntry[] a = new LogEntry[Math.max(16, window.size() * 2)];
      for (int i = 0; i < window.size(); i++) {
        a[i] = window.get(i);
      }
      a[window.size()] = e;
      return new Backing(a, window.size() + 1);
    }

    /** Puts {@code e} in slot {@code at} if that is the next free one; false: the caller copies. */
    synchronized boolean appendAt(int at, LogEntry e) {
      if (at != used || used == slots.length) {
        return false;
      }
      slots[used] = e;
      if (byReqid != null && e.reqid() != null) {
        byReqid.put(e.reqid(), used);
      }
      used++;
      return true;
    }

    synchronized int positionOf(ReqId reqid) {
      if (byReqid == null) {
        byReqid = new HashMap<>(Math.max(16, used * 2));
        for (int i = 0; i < used; i++) {
          if (slots[i].reqid() != null) {
            byReqid.put(slots[i].reqid(), i);
          }
        }
      }
      Integer at = byReqid.get(reqid);
      return at == null ? -1 : at;
    }
  }
}
