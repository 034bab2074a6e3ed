package io.jpeer.core.types;

/** Ceph's osd_reqid_t: who sent a client op and its transaction id, for duplicate detection. */
public record ReqId(String entity, long incarnation, long tid) {
  @Override
  public String toString() {
    return entity + "." + incarnation + ":" + tid;
  }
}
