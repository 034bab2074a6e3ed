package io.jpeer.osd;

import io.jpeer.net.MessageRegistry;
import io.jpeer.proto.osd.MOSDPing;

/** Message type numbers between OSDs (range 200-299); bodies are in proto/.../osd.proto,
 * peering.proto, client.proto (repops), recovery.proto and backfill.proto. */
public final class OsdMessages {
  public static final int MOSD_PING = 200;
  public static final int MOSD_PG_QUERY = 210;
  public static final int MOSD_PG_NOTIFY = 211;
  public static final int MOSD_PG_LOG = 212;
  public static final int MOSD_PG_INFO = 213;
  public static final int MOSD_REPOP = 220;
  public static final int MOSD_REPOP_REPLY = 221;
  public static final int MOSD_PG_PULL = 230;
  public static final int MOSD_PG_PUSH = 231;
  public static final int MOSD_PG_PUSH_REPLY = 232;
  public static final int MOSD_PG_SCAN = 240;
  public static final int MOSD_PG_BACKFILL = 241;
  public static final int MOSD_PG_TRIM = 242;

  private OsdMessages() {}

  public static MessageRegistry registerAll(MessageRegistry r) {
    return r.register(MOSD_PING, "MOSDPing", MOSDPing.parser())
        .register(MOSD_PG_QUERY, "MOSDPGQuery2", io.jpeer.proto.peering.MOSDPGQuery.parser())
        .register(MOSD_PG_NOTIFY, "MOSDPGNotify2", io.jpeer.proto.peering.MOSDPGNotify.parser())
        .register(MOSD_PG_LOG, "MOSDPGLog", io.jpeer.proto.peering.MOSDPGLog.parser())
        .register(MOSD_PG_INFO, "MOSDPGInfo2", io.jpeer.proto.peering.MOSDPGInfo.parser())
        .register(MOSD_REPOP, "MOSDRepOp", io.jpeer.proto.client.MOSDRepOp.parser())
        .register(MOSD_REPOP_REPLY, "MOSDRepOpReply", io.jpeer.proto.client.MOSDRepOpReply.parser())
        .register(MOSD_PG_PULL, "MOSDPGPull", io.jpeer.proto.recovery.MOSDPGPull.parser())
        .register(MOSD_PG_PUSH, "MOSDPGPush", io.jpeer.proto.recovery.MOSDPGPush.parser())
        .register(MOSD_PG_PUSH_REPLY, "MOSDPGPushReply", io.jpeer.proto.recovery.MOSDPGPushReply.parser())
        .register(MOSD_PG_SCAN, "MOSDPGScan", io.jpeer.proto.backfill.MOSDPGScan.parser())
        .register(MOSD_PG_BACKFILL, "MOSDPGBackfill", io.jpeer.proto.backfill.MOSDPGBackfill.parser())
        .register(MOSD_PG_TRIM, "MOSDPGTrim", io.jpeer.proto.backfill.MOSDPGTrim.parser());
  }
}
