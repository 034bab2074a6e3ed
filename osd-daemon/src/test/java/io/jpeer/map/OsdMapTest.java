package io.jpeer.map;

import io.jpeer.core.types.PgId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpeer.proto.mon.IncrementalProto;
import io.jpeer.proto.mon.OsdMapProto;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class OsdMapTest {

  /** Epochs 1..n: boots, a pool, a failure, pg_temp set and cleared, out and in. */
  static List<OsdMap> history() {
    List<OsdMap> maps = new ArrayList<>();
    OsdMap m = OsdMap.initial(MapFixtures.FSID, MapFixtures.T0);
    maps.add(m);
    Instant t = MapFixtures.T0;
    for (int i = 0; i < 3; i++) {
      Incremental.Builder b = Incremental.builder(m);
      b.setOsd(OsdInfo.created(i).withUp(true).withAddr("127.0.0.1:" + (6800 + i)).withUpFrom(b.epoch()));
      m = b.build(t = t.plusMillis(1)).apply(m);
      maps.add(m);
    }
    Incremental.Builder b = Incremental.builder(m);
    b.setPool(new Pool(b.nextPoolId(), "rbd", 1, 3, 2, 8, 0, b.epoch(), t));
    m = b.build(t = t.plusMillis(1)).apply(m);
    maps.add(m);
    b = Incremental.builder(m);
    b.setOsd(m.osds().get(1).withUp(false).withDownAt(b.epoch()));
    b.setPgTemp(new PgId(1, 2), List.of(2, 0));
    m = b.build(t = t.plusMillis(1)).apply(m);
    maps.add(m);
    b = Incremental.builder(m);
    b.setOsd(m.osds().get(1).withWeight(0));
    b.setPgTemp(new PgId(1, 2), List.of());
    m = b.build(t = t.plusMillis(1)).apply(m);
    maps.add(m);
    b = Incremental.builder(m);
    b.setOsd(m.osds().get(1).withWeight(1).withUp(true).withUpFrom(b.epoch()).withLastClean(3, 6));
    b.setOsd(m.osds().get(0).withUpThru(b.epoch()));
    m = b.build(t = t.plusMillis(1)).apply(m);
    maps.add(m);
    return maps;
  }

  @Test
  void incrementalsReplayTheHistory() {
    List<OsdMap> maps = history();
    OsdMap last = maps.get(maps.size() - 1);
    assertThat(last.epoch()).isEqualTo(maps.size());
    assertThat(last.numUpOsds()).isEqualTo(3);
    assertThat(last.upFrom(1)).isEqualTo(8);
    assertThat(last.downAt(1)).isEqualTo(6);
    assertThat(last.upThru(0)).isEqualTo(8);
    assertThat(last.pgTemp()).isEmpty();
    assertThat(maps.get(5).pgTemp()).containsKey(new PgId(1, 2));
    assertThat(last.created()).isEqualTo(MapFixtures.T0);
    assertThat(last.hasBeenUpSince(1, 8)).isTrue();
    assertThat(last.hasBeenUpSince(1, 7)).isFalse();

    // between() recovers each incremental, and applying it gives the same map.
    for (int i = 1; i < maps.size(); i++) {
      Incremental inc = Incremental.between(maps.get(i - 1), maps.get(i));
      assertThat(inc.apply(maps.get(i - 1))).isEqualTo(maps.get(i));
    }
  }

  @Test
  void mapsAndIncrementalsRoundTripThroughProtobuf() throws Exception {
    List<OsdMap> maps = history();
    OsdMap replay = MapCodec.fromProto(OsdMapProto.parseFrom(MapCodec.toProto(maps.get(0)).toByteArray()));
    for (int i = 1; i < maps.size(); i++) {
      OsdMap full = maps.get(i);
      assertThat(MapCodec.fromProto(OsdMapProto.parseFrom(MapCodec.toProto(full).toByteArray()))).isEqualTo(full);
      Incremental inc = Incremental.between(maps.get(i - 1), full);
      Incremental wire = MapCodec.fromProto(IncrementalProto.parseFrom(MapCodec.toProto(inc).toByteArray()));
      assertThat(wire).isEqualTo(inc);
      replay = wire.apply(replay);
      assertThat(replay).isEqualTo(full);
    }
  }

  @Test
  void incrementalRefusesTheWrongBase() {
    List<OsdMap> maps = history();
    Incremental inc = Incremental.between(maps.get(2), maps.get(3));
    assertThatThrownBy(() -> inc.apply(maps.get(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("e4 cannot apply to map e2");
  }

  @Test
  void badWireMapsAreRejectedWithAReason() {
    OsdMapProto bad = MapCodec.toProto(history().get(4)).toBuilder()
        .addPgTemp(io.jpeer.proto.mon.PgTempProto.newBuilder().setPgid("x.y")).build();
    assertThatThrownBy(() -> MapCodec.fromProto(bad)).hasMessageContaining("bad osd map e5").hasMessageContaining("x.y");
    OsdMapProto zero = OsdMapProto.newBuilder().build();
    assertThatThrownBy(() -> MapCodec.fromProto(zero)).hasMessageContaining("epoch 0");
    OsdMapProto badPool = MapCodec.toProto(history().get(4)).toBuilder()
        .setPools(0, MapCodec.toProto(history().get(4).pools().get(1)).toBuilder().setMinSize(5)).build();
    assertThatThrownBy(() -> MapCodec.fromProto(badPool)).hasMessageContaining("min_size 5");
  }

  @Test
  void pgIdParsesAndPrintsLikeCeph() {
    assertThat(PgId.parse("3.1f")).isEqualTo(new PgId(3, 31));
    assertThat(new PgId(3, 31)).hasToString("3.1f");
    assertThatThrownBy(() -> PgId.parse("31f")).hasMessageContaining("bad pgid \"31f\"");
    assertThat(MapFixtures.cluster(3, 16).pgsOf(1)).hasSize(16);
    assertThat(MapFixtures.cluster(3, 16).pgsOf(9)).isEmpty();
  }
}
