package io.jpeer.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An OSD's store records whose it is, is created only when asked, and refuses other owners untouched. */
@Timeout(30)
class StoreIdentityTest {
  @TempDir Path dir;

  static final StoreIdentity OSD0 = new StoreIdentity("fsid-a", 0);

  @Test
  void aNewStoreRecordsItsOwnerAndReopensForIt() throws Exception {
    try (ObjectStore s = ObjectStores.open("rocksdb", dir, true, OSD0)) {
      assertThat(StoreIdentity.read(s)).contains(OSD0);
      s.apply(new Transaction().createCollection("1.0").write("1.0", "a", "x".getBytes(UTF_8), Map.of()));
    }
    try (ObjectStore s = ObjectStores.open("rocksdb", dir, false, OSD0)) {
      assertThat(s.read("1.0", "a")).isPresent();
    }
  }

  @Test
  void aStoreOfAnotherOsdOrClusterIsRefusedAndNotTouched() throws Exception {
    ObjectStores.open("rocksdb", dir, true, OSD0).close();
    Map<String, String> before = StoreFiles.snapshot(dir.resolve("db"));
    assertThatThrownBy(() -> ObjectStores.open("rocksdb", dir, false, new StoreIdentity("fsid-a", 1)))
        .isInstanceOf(StoreException.class).hasMessageContaining("belongs to osd.0, not osd.1");
    assertThatThrownBy(() -> ObjectStores.open("rocksdb", dir, true, new StoreIdentity("fsid-b", 0)))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("belongs to cluster fsid-a osd.0, not cluster fsid-b osd.0")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThat(StoreFiles.snapshot(dir.resolve("db"))).isEqualTo(before);
  }

  @Test
  void aMissingStoreIsCreatedOnlyWhenAsked() {
    assertThatThrownBy(() -> ObjectStores.open("rocksdb", dir, false, OSD0))
        .isInstanceOf(StoreException.class).hasMessageContaining("does not exist");
    assertThat(dir.resolve("db")).doesNotExist();
  }

  @Test
  void aStoreWithoutARecordedOwnerIsAdopted() throws Exception {
    ObjectStores.open("rocksdb", dir, true).close(); // made before stores recorded their owner
    try (ObjectStore s = ObjectStores.open("rocksdb", dir, false, OSD0)) {
      assertThat(StoreIdentity.read(s)).contains(OSD0);
    }
    assertThatThrownBy(() -> ObjectStores.open("rocksdb", dir, false, new StoreIdentity("fsid-a", 3)))
        .hasMessageContaining("belongs to osd.0");
  }

  @Test
  void theMemoryStoreRecordsItsOwnerToo() throws Exception {
    try (ObjectStore s = ObjectStores.open("memory", dir, true, OSD0)) {
      assertThat(StoreIdentity.read(s)).contains(OSD0);
    }
  }
}
