package io.jpeer.osd.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import io.jpeer.core.interval.PastIntervals;
import io.jpeer.core.machine.PeeringMessage;
import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.LogEntry;
import io.jpeer.core.types.LogOp;
import io.jpeer.core.types.ObjectNames;
import io.jpeer.core.types.PgHistory;
import io.jpeer.core.types.PgId;
import io.jpeer.core.types.PgInfo;
import io.jpeer.core.types.PgLog;
import io.jpeer.core.types.PgMissing;
import io.jpeer.core.types.PgStats;
import io.jpeer.core.types.ReqId;
import io.jpeer.osd.OsdMessages;
import io.jpeer.proto.mon.MOSDBeacon;
import io.jpeer.proto.peering.MOSDPGLog;
import io.jpeer.proto.peering.MOSDPGNotify;
import io.jpeer.proto.peering.MOSDPGQuery;
import io.jpeer.proto.peering.MissingItemProto;
import io.jpeer.proto.peering.PgLogProto;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The peering core's values and messages through protobuf and back: every field survives (also
 * epochs above 2^31 and counters above 2^63, which travel unsigned), and a message a core value
 * cannot hold is refused with a WireException that names the field.
 */
class PeeringWireTest {
  static final PgId PG = new PgId(3, 0x1f);
  static final int SENDER = 2;
  /** Above 2^31: a signed cast on the way would show. */
  static final long BIG_EPOCH = 0xFFFF_FFF0L;

  static Eversion ev(long e, long v) {
    return Eversion.of(e, v);
  }

  static PgHistory history() {
    return new PgHistory(3, 2, 21, 20, 19, 18, 24, 25, BIG_EPOCH);
  }

  static PgInfo info() {
    return new PgInfo(PG, ev(29, 15), ev(28, 14), ev(20, 5), "obj-17", 99, List.of(4L, 7L),
        new PgStats(ev(29, 15), 68, 34, 1000, 1L << 40), 24, 23, history());
  }

  static PgLog log() {
    List<LogEntry> entries = List.of(
        new LogEntry(LogOp.MODIFY, "a", ev(21, 6), ev(0, 0), new ReqId("client.4711", 1, 42), 7, true, 0),
        new LogEntry(LogOp.DELETE, "b:c", ev(22, 7), ev(21, 3), null, 8, false, 0),
        new LogEntry(LogOp.ERROR, "d.e-f_g", ev(BIG_EPOCH, -2L), ev(22, 7), new ReqId("client.9", 3, 1), 0, false, -2));
    return new PgLog(ev(20, 5), ev(BIG_EPOCH, -2L), ev(21, 6), entries);
  }

  static PgMissing missing() {
    Map<String, PgMissing.Item> items = new TreeMap<>();
    items.put("a", new PgMissing.Item(ev(21, 6), ev(0, 0), false));
    items.put("b:c", new PgMissing.Item(ev(22, 7), ev(21, 3), true));
    return PgMissing.of(true, items);
  }

  static PastIntervals pastIntervals() {
    return new PastIntervals(10, 23, Set.of(0, 1, 2, 5),
        List.of(new PastIntervals.RwInterval(10, 15, Set.of(0, 1)), new PastIntervals.RwInterval(16, 23, Set.of(1, 2, 5))));
  }

  /** One of each peering message, every field away from its default. */
  static List<PeeringMessage> everyMessage() {
    return List.of(
        new PeeringMessage.Query(PG, PeeringMessage.QueryType.LOG, ev(20, 5), history(), BIG_EPOCH, SENDER, 1),
        new PeeringMessage.Query(PG, PeeringMessage.QueryType.FULLLOG, Eversion.ZERO, PgHistory.EMPTY, 7, SENDER, 0),
        new PeeringMessage.Notify(PG, 30, 31, info(), pastIntervals(), SENDER, 1),
        new PeeringMessage.Log(PG, 32, 30, info(), log(), missing(), pastIntervals(), SENDER, 1),
        new PeeringMessage.Info(PG, 33, 29, info(), pastIntervals(), SENDER, 1),
        new PeeringMessage.Info(PG, 1, 1, PgInfo.created(PG, 1), PastIntervals.EMPTY, SENDER, 0));
  }

  /** As the messenger does: to bytes, parsed by the registered parser of the type. */
  static Message overTheWire(PeeringWire.Encoded e) throws Exception {
    byte[] bytes = e.body().toByteArray();
    return switch (e.type()) {
      case OsdMessages.MOSD_PG_QUERY -> io.jpeer.proto.peering.MOSDPGQuery.parseFrom(bytes);
      case OsdMessages.MOSD_PG_NOTIFY -> io.jpeer.proto.peering.MOSDPGNotify.parseFrom(bytes);
      case OsdMessages.MOSD_PG_LOG -> io.jpeer.proto.peering.MOSDPGLog.parseFrom(bytes);
      case OsdMessages.MOSD_PG_INFO -> io.jpeer.proto.peering.MOSDPGInfo.parseFrom(bytes);
      default -> throw new AssertionError("not a peering type: " + e.type());
    };
  }

  @Test
  void everyPeeringMessageRoundTrips() throws Exception {
    for (PeeringMessage m : everyMessage()) {
      PeeringWire.Encoded e = PeeringWire.encode(m);
      PeeringMessage back = PeeringWire.decode(e.type(), overTheWire(e), SENDER);
      assertThat(back).as(m.getClass().getSimpleName()).isEqualTo(m);
    }
  }

  @Test
  void eachPeeringMessageHasItsOwnType() {
    assertThat(everyMessage().stream().map(m -> PeeringWire.encode(m).type()).distinct())
        .containsExactlyInAnyOrder(OsdMessages.MOSD_PG_QUERY, OsdMessages.MOSD_PG_NOTIFY, OsdMessages.MOSD_PG_LOG,
            OsdMessages.MOSD_PG_INFO);
  }

  @Test
  void theSenderIsTheHandshakesNotTheBodys() throws Exception {
    PeeringMessage q = everyMessage().get(0);
    PeeringWire.Encoded e = PeeringWire.encode(q);
    PeeringMessage back = PeeringWire.decode(e.type(), overTheWire(e), 7);
    assertThat(back.from()).isEqualTo(7);
  }

  @Test
  void coreValuesRoundTrip() throws Exception {
    assertThat(CoreCodec.eversion(CoreCodec.eversion(ev(BIG_EPOCH, -1L)))).isEqualTo(ev(BIG_EPOCH, -1L));
    assertThat(CoreCodec.history(CoreCodec.history(history()))).isEqualTo(history());
    assertThat(CoreCodec.info(CoreCodec.info(info()), "info")).isEqualTo(info());
    PgInfo minBackfill = new PgInfo(PG, ev(5, 1), ev(5, 1), ev(0, 0), ObjectNames.MIN, 0, List.of(), PgStats.EMPTY,
        0, 0, PgHistory.EMPTY);
    assertThat(CoreCodec.info(CoreCodec.info(minBackfill), "info")).isEqualTo(minBackfill);
    assertThat(CoreCodec.log(CoreCodec.log(log()), "log")).isEqualTo(log());
    assertThat(CoreCodec.log(CoreCodec.log(PgLog.EMPTY), "log")).isEqualTo(PgLog.EMPTY);
    assertThat(CoreCodec.missing(CoreCodec.missing(missing()), "missing")).isEqualTo(missing());
    assertThat(PeeringWire.pastIntervals(PeeringWire.pastIntervals(pastIntervals()))).isEqualTo(pastIntervals());
  }

  // ---- malformed messages: one WireException naming the field ------------------------------

  static MOSDPGLog logMessage() {
    return (MOSDPGLog) PeeringWire.encode(everyMessage().get(3)).body();
  }

  static void refused(int type, Message body, String... messageParts) {
    assertThatThrownBy(() -> PeeringWire.decode(type, body, SENDER)).isInstanceOf(WireException.class)
        .satisfies(t -> {
          for (String part : messageParts) {
            assertThat(t.getMessage()).contains(part);
          }
          assertThat(t.getMessage()).doesNotContain("\n");
        });
  }

  static MOSDPGLog withLog(UnaryOperator<PgLogProto.Builder> change) {
    MOSDPGLog m = logMessage();
    return m.toBuilder().setLog(change.apply(m.getLog().toBuilder())).build();
  }

  @Test
  void badPgidIsRefused() {
    refused(OsdMessages.MOSD_PG_LOG, logMessage().toBuilder().setPgid("3.zz").build(), "pgid", "3.zz");
    MOSDPGQuery q = (MOSDPGQuery) PeeringWire.encode(everyMessage().get(0)).body();
    refused(OsdMessages.MOSD_PG_QUERY, q.toBuilder().setPgid("").build(), "pgid");
    MOSDPGNotify n = (MOSDPGNotify) PeeringWire.encode(everyMessage().get(2)).body();
    refused(OsdMessages.MOSD_PG_NOTIFY, n.toBuilder().setInfo(n.getInfo().toBuilder().setPgid("x")).build(),
        "MOSDPGNotify.info.pgid");
  }

  @Test
  void unknownQueryTypeIsRefused() {
    MOSDPGQuery q = (MOSDPGQuery) PeeringWire.encode(everyMessage().get(0)).body();
    refused(OsdMessages.MOSD_PG_QUERY, q.toBuilder().setType(3).build(), "MOSDPGQuery.type", "unknown query type 3");
  }

  @Test
  void badLogEntriesAreRefused() {
    refused(OsdMessages.MOSD_PG_LOG, withLog(l -> l.setEntries(1, l.getEntries(1).toBuilder().setOp(4))),
        "MOSDPGLog.log.entries[1].op", "unknown log op 4");
    refused(OsdMessages.MOSD_PG_LOG, withLog(l -> l.setEntries(0, l.getEntries(0).toBuilder().setOid("no spaces"))),
        "MOSDPGLog.log.entries[0].oid");
    refused(OsdMessages.MOSD_PG_LOG, withLog(l -> l.setEntries(0, l.getEntries(0).toBuilder().setOid(""))),
        "MOSDPGLog.log.entries[0].oid");
    refused(OsdMessages.MOSD_PG_LOG, withLog(l -> l.setEntries(2, l.getEntries(0))),
        "MOSDPGLog.log.entries[2]", "does not follow");
    refused(OsdMessages.MOSD_PG_LOG, withLog(l -> l.setHead(l.getEntries(0).getVersion())),
        "MOSDPGLog.log.head");
    refused(OsdMessages.MOSD_PG_LOG, withLog(l -> l.clearEntries().setHead(CoreCodec.eversion(ev(1, 1)))),
        "MOSDPGLog.log.head", "below the tail");
  }

  @Test
  void badInfoIsRefused() {
    MOSDPGLog m = logMessage();
    refused(OsdMessages.MOSD_PG_LOG, m.toBuilder().setInfo(m.getInfo().toBuilder()
        .setLastComplete(CoreCodec.eversion(ev(30, 1)))).build(), "MOSDPGLog.info.last_complete", "above last_update");
    refused(OsdMessages.MOSD_PG_LOG, m.toBuilder().setInfo(m.getInfo().toBuilder().setLastBackfill("bad name!"))
        .build(), "MOSDPGLog.info.last_backfill");
  }

  @Test
  void badMissingIsRefused() {
    MOSDPGLog m = logMessage();
    MissingItemProto first = m.getMissing().getItems(0);
    refused(OsdMessages.MOSD_PG_LOG, m.toBuilder().setMissing(m.getMissing().toBuilder().addItems(first)).build(),
        "MOSDPGLog.missing.items[2]", "listed twice");
    refused(OsdMessages.MOSD_PG_LOG, m.toBuilder().setMissing(m.getMissing().toBuilder()
        .setItems(1, first.toBuilder().setOid("MAX"))).build(), "MOSDPGLog.missing.items[1].oid", "reserved");
  }

  @Test
  void aBodyThatIsNoPeeringMessageIsRefused() {
    refused(OsdMessages.MOSD_PING, MOSDBeacon.newBuilder().setOsd(1).build(), "type " + OsdMessages.MOSD_PING,
        "not a peering message");
  }
}
