package io.jpeer.core.machine;

/**
 * The peering states, with Ceph's names and hierarchy. Events go to the innermost state and
 * bubble out until one handles them; entering a state enters its initial sub-state too.
 */
public enum PeeringStateName {
  INITIAL("Initial", null),
  RESET("Reset", null),
  STARTED("Started", null),
  START("Start", STARTED),
  PRIMARY("Primary", STARTED),
  PEERING("Peering", PRIMARY),
  GET_INFO("GetInfo", PEERING),
  GET_LOG("GetLog", PEERING),
  GET_MISSING("GetMissing", PEERING),
  WAIT_UP_THRU("WaitUpThru", PEERING),
  DOWN("Down", PEERING),
  INCOMPLETE("Incomplete", PEERING),
  WAIT_ACTING_CHANGE("WaitActingChange", PRIMARY),
  ACTIVE("Active", PRIMARY),
  ACTIVATING("Activating", ACTIVE),
  RECOVERED("Recovered", ACTIVE),
  CLEAN("Clean", ACTIVE),
  WAIT_LOCAL_RECOVERY_RESERVED("WaitLocalRecoveryReserved", ACTIVE),
  WAIT_LOCAL_BACKFILL_RESERVED("WaitLocalBackfillReserved", ACTIVE),
  RECOVERING("Recovering", ACTIVE),
  BACKFILLING("Backfilling", ACTIVE),
  STRAY("Stray", STARTED),
  REPLICA_ACTIVE("ReplicaActive", STARTED),
  REP_NOT_RECOVERING("RepNotRecovering", REPLICA_ACTIVE);

  private final String shortName;
  private final PeeringStateName parent;

  PeeringStateName(String shortName, PeeringStateName parent) {
    this.shortName = shortName;
    this.parent = parent;
  }

  public PeeringStateName parent() {
    return parent;
  }

  /** Ceph's full name: {@code Started/Primary/Peering/GetInfo}. Start prints as "Start". */
  public String fullName() {
    if (this == START) {
      return "Start";
    }
    return parent == null ? shortName : parent.fullName() + "/" + shortName;
  }

  /** The sub-state entered with this one, or null. */
  public PeeringStateName initialChild() {
    return switch (this) {
      case STARTED -> START;
      case PRIMARY -> PEERING;
      case PEERING -> GET_INFO;
      case ACTIVE -> ACTIVATING;
      case REPLICA_ACTIVE -> REP_NOT_RECOVERING;
      default -> null;
    };
  }

  public int depth() {
    return parent == null ? 0 : parent.depth() + 1;
  }

  public boolean isWithin(PeeringStateName ancestor) {
    for (PeeringStateName s = this; s != null; s = s.parent) {
      if (s == ancestor) {
        return true;
      }
    }
    return false;
  }
}
