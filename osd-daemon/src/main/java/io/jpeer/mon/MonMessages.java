package io.jpeer.mon;

import io.jpeer.net.MessageRegistry;
import io.jpeer.proto.mon.MMonCommand;
import io.jpeer.proto.mon.MMonCommandReply;
import io.jpeer.proto.mon.MMonGetMap;
import io.jpeer.proto.mon.MMonSubscribe;
import io.jpeer.proto.mon.MOSDAlive;
import io.jpeer.proto.mon.MOSDBeacon;
import io.jpeer.proto.mon.MOSDBoot;
import io.jpeer.proto.mon.MOSDFailure;
import io.jpeer.proto.mon.MOSDMap;
import io.jpeer.proto.mon.MOSDMarkMeDown;
import io.jpeer.proto.mon.MOSDMarkMeDownAck;
import io.jpeer.proto.mon.MOSDPGTemp;
import io.jpeer.proto.mon.MPGStats;

/**
 * Message type numbers of the monitor protocol (range 100-199); bodies are the messages of
 * proto/src/main/proto/mon.proto with the same names.
 */
public final class MonMessages {
  private MonMessages() {}

  /** Registers every monitor message's parser; both the monitor and MonClient call this. */
  public static MessageRegistry registerAll(MessageRegistry r) {
    return r.register(MOSD_BOOT, "MOSDBoot", MOSDBoot.parser())
        .register(MMON_SUBSCRIBE, "MMonSubscribe", MMonSubscribe.parser())
        .register(MOSD_MAP, "MOSDMap", MOSDMap.parser())
        .register(MMON_GET_MAP, "MMonGetMap", MMonGetMap.parser())
        .register(MOSD_BEACON, "MOSDBeacon", MOSDBeacon.parser())
        .register(MOSD_FAILURE, "MOSDFailure", MOSDFailure.parser())
        .register(MOSD_MARK_ME_DOWN, "MOSDMarkMeDown", MOSDMarkMeDown.parser())
        .register(MOSD_MARK_ME_DOWN_ACK, "MOSDMarkMeDownAck", MOSDMarkMeDownAck.parser())
        .register(MOSD_ALIVE, "MOSDAlive", MOSDAlive.parser())
        .register(MOSD_PG_TEMP, "MOSDPGTemp", MOSDPGTemp.parser())
        .register(MPG_STATS, "MPGStats", MPGStats.parser())
        .register(MMON_COMMAND, "MMonCommand", MMonCommand.parser())
        .register(MMON_COMMAND_REPLY, "MMonCommandReply", MMonCommandReply.parser());
  }

  /** OSD -> mon: I am up at this address (MOSDBoot). */
  public static final int MOSD_BOOT = 100;
  /** client -> mon: send me OSD maps from an epoch on (MMonSubscribe). */
  public static final int MMON_SUBSCRIBE = 101;
  /** mon -> client: full and/or incremental maps (MOSDMap). */
  public static final int MOSD_MAP = 102;
  /** client -> mon: send me epochs first..last (MMonGetMap), for gaps. */
  public static final int MMON_GET_MAP = 103;
  /** OSD -> mon: periodic liveness (MOSDBeacon). */
  public static final int MOSD_BEACON = 104;
  /** OSD -> mon: a peer stopped answering heartbeats, or answers again (MOSDFailure). */
  public static final int MOSD_FAILURE = 105;
  /** OSD -> mon: clean shutdown, mark me down now (MOSDMarkMeDown). */
  public static final int MOSD_MARK_ME_DOWN = 106;
  /** mon -> OSD: you are marked down (MOSDMarkMeDownAck). */
  public static final int MOSD_MARK_ME_DOWN_ACK = 107;
  /** OSD -> mon: raise my up_thru (MOSDAlive). */
  public static final int MOSD_ALIVE = 108;
  /** primary OSD -> mon: set or clear pg_temp (MOSDPGTemp). */
  public static final int MOSD_PG_TEMP = 109;
  /** primary OSD -> mon: per-PG stats (MPGStats). */
  public static final int MPG_STATS = 110;
  /** client -> mon: admin command (MMonCommand). */
  public static final int MMON_COMMAND = 111;
  /** mon -> client: command result (MMonCommandReply). */
  public static final int MMON_COMMAND_REPLY = 112;
}
