package io.jpeer.core.types;

/**
 * Ceph's pg_log_entry_t, reduced to what peering and recovery use. {@code priorVersion} is the
 * object's version before this entry ({@code 0'0}: the entry created it). {@code reqid} may be
 * null (entries made by recovery or tests).
 */
public record LogEntry(
    LogOp op,
    String oid,
    Eversion version,
    Eversion priorVersion,
    ReqId reqid,
    long userVersion,
    boolean rollbackable,
    int returnCode) {

  public static LogEntry of(LogOp op, String oid, Eversion version, Eversion priorVersion) {
    return new LogEntry(op, oid, version, priorVersion, null, 0, false, 0);
  }

  public boolean isUpdate() {
    return op.kind() == LogOp.Kind.UPDATE;
  }

  public boolean isDelete() {
    return op.kind() == LogOp.Kind.DELETE;
  }

  public boolean isError() {
    return op.kind() == LogOp.Kind.ERROR;
  }

  /** A clone, or an entry with no prior version, brings the object into existence. */
  public boolean isCreation() {
    return op == LogOp.CLONE || priorVersion.isZero();
  }

  @Override
  public String toString() {
    return version + " " + op.jsonName() + " " + oid + " (prior " + priorVersion + ")";
  }
}
