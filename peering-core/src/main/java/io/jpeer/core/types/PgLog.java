package io.jpeer.core.types;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Ceph's pg_log_t with its object index (IndexedLog): entries oldest first covering
 * {@code (tail, head]}, and for each object its newest non-error entry. Immutable; algorithms work
 * on a {@link Builder}.
 */
public final class PgLog {
  public static final PgLog EMPTY = new PgLog(Eversion.ZERO, Eversion.ZERO, Eversion.ZERO, List.of());

  private final Eversion tail;
  private final Eversion head;
  private final Eversion canRollbackTo;
  private final List<LogEntry> entries;
  private Map<String, LogEntry> objects; // built lazily: many logs are only passed along

  public PgLog(Eversion tail, Eversion head, Eversion canRollbackTo, List<LogEntry> entries) {
    this.tail = tail;
    this.head = head;
    this.canRollbackTo = canRollbackTo;
    this.entries = List.copyOf(entries);
  }

  private PgLog(Eversion tail, Eversion head, Eversion crt, List<LogEntry> unmodifiable, boolean trusted) {
    this.tail = tail;
    this.head = head;
    this.canRollbackTo = crt;
    this.entries = unmodifiable;
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
    return new PgLog(Eversion.max(newTail, tail), head, canRollbackTo, entries.subList(i, entries.size()));
  }

  /** The newest {@code n} entries (Ceph's copy_up_to): tail is the version just before them. */
  public PgLog copyUpTo(int n) {
    int from = Math.max(0, entries.size() - n);
    Eversion newTail = from > 0 ? entries.get(from - 1).version() : tail;
    return new PgLog(newTail, head, canRollbackTo, entries.subList(from, entries.size()));
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
      return new PgLog(tail, head, canRollbackTo, Collections.unmodifiableList(new ArrayList<>(entries)), true);
    }
  }
}
