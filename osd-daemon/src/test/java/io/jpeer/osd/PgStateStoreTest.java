package io.jpeer.osd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpeer.core.types.Eversion;
import io.jpeer.core.types.LogEntry;
import io.jpeer.core.types.LogOp;
import io.jpeer.core.types.PgId;
import io.jpeer.core.types.PgInfo;
import io.jpeer.core.types.PgLog;
import io.jpeer.core.types.PgMissing;
import io.jpeer.core.types.ReqId;
import io.jpeer.store.MemStore;
import io.jpeer.store.StoreException;
import io.jpeer.store.Transaction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PgStateStoreTest {
  static Eversion v(String s) {
    return Eversion.parse(s);
  }

  @Test
  void stateSurvivesAStoreRoundTripIncludingAppendsAndTrims() throws Exception {
    MemStore store = new MemStore();
    LogEntry a = new LogEntry(LogOp.MODIFY, "a", v("3'1"), Eversion.ZERO, new ReqId("client.4", 1, 7), 1, false, 0);
    LogEntry b = LogEntry.of(LogOp.DELETE, "a", v("3'2"), v("3'1"));
    LogEntry c = LogEntry.of(LogOp.MODIFY, "b", v("4'10"), Eversion.ZERO);
    PgLog log = PgLog.of(Eversion.ZERO, List.of(a, b));
    PgInfo info = PgInfo.created(new PgId(1, 0x1f), 3).withLastUpdate(v("3'2")).withLastComplete(v("3'1"));
    PgMissing missing = PgMissing.of(true, Map.of("a", new PgMissing.Item(v("3'2"), v("3'1"), true)));
    Transaction t = new Transaction().createCollection("1.1f");
    PgStateStore.putAll(t, "1.1f", info, log, missing);
    store.apply(t);
    PgStateStore.Loaded loaded = PgStateStore.load(store, "1.1f").orElseThrow();
    assertThat(loaded.info()).isEqualTo(info);
    assertThat(loaded.log()).isEqualTo(log);
    assertThat(loaded.missing()).isEqualTo(missing);

    PgLog grown = PgLog.of(Eversion.ZERO, List.of(a, b, c));
    Transaction t2 = new Transaction();
    PgStateStore.appendEntries(t2, "1.1f", grown, List.of(c));
    PgStateStore.removeEntries(t2, "1.1f", List.of(a));
    store.apply(t2);
    assertThat(PgStateStore.load(store, "1.1f").orElseThrow().log().entries()).containsExactly(b, c);
  }

  @Test
  void missingSetUpdatesStoreOnlyTheDifferenceAndLoadTheSameSet() throws Exception {
    MemStore store = new MemStore();
    PgInfo info = PgInfo.created(new PgId(1, 2), 3);
    PgMissing.Item item = new PgMissing.Item(v("3'2"), Eversion.ZERO, false);
    PgMissing was = PgMissing.of(true, Map.of("a", item, "b", item, "c", item));
    Transaction t = new Transaction().createCollection("1.2");
    PgStateStore.putAll(t, "1.2", info, PgLog.EMPTY, was);
    store.apply(t);
    // b recovered, c needs a newer version, d is new
    PgMissing now = PgMissing.of(true, Map.of("a", item, "c", new PgMissing.Item(v("3'5"), v("3'2"), false),
        "d", new PgMissing.Item(v("3'6"), Eversion.ZERO, true)));
    Transaction delta = new Transaction();
    PgStateStore.updateMissing(delta, "1.2", was, now);
    assertThat(delta.ops()).hasSize(3); // remove b, set c, set d: a untouched
    store.apply(delta);
    assertThat(PgStateStore.load(store, "1.2").orElseThrow().missing()).isEqualTo(now);
    // the flags changing rewrites the whole set
    PgMissing flags = PgMissing.of(false, Map.of("a", item));
    Transaction all = new Transaction();
    PgStateStore.updateMissing(all, "1.2", now, flags);
    store.apply(all);
    assertThat(PgStateStore.load(store, "1.2").orElseThrow().missing()).isEqualTo(flags);
  }

  @Test
  void absentStateAndCorruptState() throws Exception {
    MemStore store = new MemStore();
    assertThat(PgStateStore.load(store, "1.0")).isEmpty();
    store.apply(new Transaction().createCollection("1.0").omapSet("1.0", "_info", new byte[] {(byte) 0xff, 1, 2}));
    assertThatThrownBy(() -> PgStateStore.load(store, "1.0")).isInstanceOf(StoreException.class)
        .hasMessageContaining("corrupt");
  }
}
