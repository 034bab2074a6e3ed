package io.jpeer.mon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpeer.map.Incremental;
import io.jpeer.map.OsdInfo;
import io.jpeer.map.OsdMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class MonStoreTest {
  @TempDir Path dir;

  @Test
  void epochsAreKeptAndReadBack() throws Exception {
    MonStore s = MonStore.open(dir.resolve("mon.0"));
    assertThat(s.latest()).isEmpty();
    s.writeFsid("6214e3ef-4146-472b-8149-59085d3053ad");
    OsdMap m1 = OsdMap.initial("6214e3ef-4146-472b-8149-59085d3053ad", Instant.now());
    s.put(null, m1);
    Incremental.Builder b = Incremental.builder(m1);
    b.setOsd(OsdInfo.created(0).withUp(true).withAddr("127.0.0.1:6800").withUpFrom(2));
    Incremental inc = b.build(Instant.now());
    OsdMap m2 = inc.apply(m1);
    s.put(inc, m2);

    assertThatThrownBy(() -> MonStore.open(dir.resolve("mon.0"))).hasMessageContaining("in use by another monitor");
    s.close();
    MonStore again = MonStore.open(dir.resolve("mon.0"));
    assertThat(again.fsid()).contains("6214e3ef-4146-472b-8149-59085d3053ad");
    assertThat(again.epochs()).containsExactly(1L, 2L);
    assertThat(again.latest()).contains(m2);
    assertThat(again.full(1)).isEqualTo(m1);
    assertThat(again.incremental(2)).isEqualTo(inc);
    // No temporary files are left behind.
    try (var files = Files.list(dir.resolve("mon.0/osdmap"))) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
    again.close();
  }

  @Test
  void aCorruptEpochIsReportedByName() throws Exception {
    MonStore s = MonStore.open(dir);
    s.put(null, OsdMap.initial("", Instant.now()));
    Files.write(dir.resolve("osdmap/full_0000000001"), new byte[] {(byte) 0xff, 0x01, 0x02});
    assertThatThrownBy(s::latest).isInstanceOf(IOException.class).hasMessageContaining("full_0000000001");
    s.close();
  }
}
