package io.jpeer.core.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Logs derived from one another share storage: none may see another's entries. */
class PgLogSharingTest {
  private static LogEntry entry(int v, String oid, long tid) {
    return new LogEntry(LogOp.MODIFY, oid, new Eversion(1, v), Eversion.ZERO, new ReqId("client.1", 0, tid), v,
        false, 0);
  }

  @Test
  void appendsAreInvisibleToOlderLogsAndBranchesCopy() {
    PgLog base = PgLog.EMPTY;
    List<PgLog> chain = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      base = base.appended(entry(i, "o" + (i % 7), i), new Eversion(1, i));
      chain.add(base);
    }
    for (int i = 0; i < chain.size(); i++) {
      assertEquals(i + 1, chain.get(i).size());
      assertEquals(new Eversion(1, i + 1), chain.get(i).head());
      assertEquals(new Eversion(1, i + 1), chain.get(i).entries().get(i).version());
    }
    // Two logs appended to the same older one: each keeps its own head entry.
    PgLog older = chain.get(49);
    PgLog a = older.appended(entry(200, "a", 200), Eversion.ZERO);
    PgLog b = older.appended(entry(300, "b", 300), Eversion.ZERO);
    assertEquals("a", a.entries().get(50).oid());
    assertEquals("b", b.entries().get(50).oid());
    assertEquals(51, a.size());
    assertEquals(51, b.size());
    assertEquals(100, chain.get(99).size());
    assertEquals("o2", chain.get(99).entries().get(99).oid());
    assertThrows(IllegalArgumentException.class, () -> a.appended(entry(10, "x", 10), Eversion.ZERO));
  }

  @Test
  void findByReqidSeesOnlyItsOwnWindow() {
    PgLog log = PgLog.EMPTY;
    for (int i = 1; i <= 20; i++) {
      log = log.appended(entry(i, "o" + i, i), Eversion.ZERO);
    }
    ReqId r5 = new ReqId("client.1", 0, 5);
    assertEquals(new Eversion(1, 5), log.findByReqid(r5).version());
    assertNull(log.findByReqid(new ReqId("client.1", 0, 99)));
    PgLog trimmed = log.trimmedTo(new Eversion(1, 10));
    assertEquals(10, trimmed.size());
    assertEquals(new Eversion(1, 10), trimmed.tail());
    assertNull(trimmed.findByReqid(r5));
    assertEquals(new Eversion(1, 15), trimmed.findByReqid(new ReqId("client.1", 0, 15)).version());
    // An older log does not see a request first logged after it.
    PgLog short10 = log.copyUpTo(20).trimmedTo(Eversion.ZERO);
    PgLog longer = log.appended(entry(21, "late", 21), Eversion.ZERO);
    assertEquals("late", longer.findByReqid(new ReqId("client.1", 0, 21)).oid());
    assertNull(log.findByReqid(new ReqId("client.1", 0, 21)));
    assertSame(log.entries().get(0), short10.entries().get(0));
    // A reqid used again in a newer log: the older one still finds its own use.
    PgLog again = log.appended(new LogEntry(LogOp.DELETE, "o5", new Eversion(1, 22), new Eversion(1, 5), r5, 22,
        false, 0), Eversion.ZERO);
    assertEquals(new Eversion(1, 22), again.findByReqid(r5).version());
    assertEquals(new Eversion(1, 5), log.findByReqid(r5).version());
  }

  @Test
  void trimmedLogsEqualFreshOnes() {
    PgLog log = PgLog.EMPTY;
    List<LogEntry> all = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      LogEntry e = entry(i, "o" + i, i);
      all.add(e);
      log = log.appended(e, Eversion.ZERO).trimmedTo(new Eversion(1, Math.max(0, i - 8)));
    }
    assertEquals(new PgLog(new Eversion(1, 32), new Eversion(1, 40), Eversion.ZERO, all.subList(32, 40)), log);
    assertEquals(8, log.objects().size());
  }
}
