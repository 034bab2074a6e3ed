package io.jpeer.core.machine;

/** The Ceph options peering decisions read (names as Ceph spells them, in Java case). */
public record MachineConfig(
    int osdForceAuthPrimaryMissingObjects,
    boolean osdFindBestInfoIgnoreHistoryLes,
    boolean osdAllowRecoveryBelowMinSize,
    int osdMaxPgLogEntries) {

  public static MachineConfig defaults() {
    return new MachineConfig(100, false, true, 10_000);
  }
}
