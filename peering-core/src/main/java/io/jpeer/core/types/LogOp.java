package io.jpeer.core.types;

import java.util.Locale;

/** Log entry operations, with Ceph's codes (4, BACKLOG, is obsolete). */
public enum LogOp {
  MODIFY(1, Kind.UPDATE),
  CLONE(2, Kind.UPDATE),
  DELETE(3, Kind.DELETE),
  LOST_REVERT(5, Kind.UPDATE),
  LOST_DELETE(6, Kind.DELETE),
  LOST_MARK(7, Kind.UPDATE),
  PROMOTE(8, Kind.UPDATE),
  CLEAN(9, Kind.UPDATE),
  ERROR(10, Kind.ERROR),
  REPLACE(11, Kind.UPDATE);

  /** What an entry does to its object: exists afterwards, absent afterwards, or nothing. */
  public enum Kind { UPDATE, DELETE, ERROR }

  private final int code;
  private final Kind kind;

  LogOp(int code, Kind kind) {
    this.code = code;
    this.kind = kind;
  }

  public int code() {
    return code;
  }

  public Kind kind() {
    return kind;
  }

  /** The lower-case name used in files and JSON ({@code lost_revert}). */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static LogOp fromJsonName(String s) {
    for (LogOp op : values()) {
      if (op.jsonName().equals(s)) {
        return op;
      }
    }
    return null;
  }

  public static LogOp fromCode(int code) {
    for (LogOp op : values()) {
      if (op.code == code) {
        return op;
      }
    }
    return null;
  }
}
