package io.jpeer.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbStoreTest extends ObjectStoreContract {
  @TempDir Path dir;

  @Override
  protected ObjectStore create() throws Exception {
    return ObjectStores.open("rocksdb", dir, true);
  }

  @Test
  void survivesReopen() throws Exception {
    store.apply(new Transaction().createCollection("1.0").write("1.0", "a", b("kept"), Map.of())
        .omapSet("1.0", "info", b("i")));
    store.close();
    store = ObjectStores.open("rocksdb", dir, false);
    assertThat(new String(store.read("1.0", "a").orElseThrow().data(), UTF_8)).isEqualTo("kept");
    assertThat(store.omapGet("1.0", "info")).isPresent();
  }

  @Test
  void aSecondOpenWhileInUseIsRefusedInOneLine() {
    assertThatThrownBy(() -> ObjectStores.open("rocksdb", dir, false))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("in use")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void missingStoreIsNotCreatedUnlessAsked() {
    Path elsewhere = dir.resolve("never");
    assertThatThrownBy(() -> ObjectStores.open("rocksdb", elsewhere, false)).isInstanceOf(StoreException.class);
    assertThat(elsewhere.resolve("db")).doesNotExist();
  }

  @Test
  void aCorruptStoreIsRefusedInOneLineAndNotTouched() throws Exception {
    store.apply(new Transaction().createCollection("1.0").write("1.0", "a", b("x"), Map.of()));
    store.close();
    Path db = dir.resolve("db");
    String manifest = Files.readString(db.resolve("CURRENT")).trim();
    Files.write(db.resolve(manifest), b("garbage"));
    Map<String, String> before = StoreFiles.snapshot(db);
    for (boolean create : new boolean[] {false, true}) {
      assertThatThrownBy(() -> ObjectStores.open("rocksdb", dir, create))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("cannot open")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
    assertThatThrownBy(() -> ObjectStores.open("rocksdb", dir, false, new StoreIdentity("f", 0)))
        .isInstanceOf(StoreException.class).hasMessageContaining("cannot open");
    assertThat(StoreFiles.snapshot(db)).isEqualTo(before);
    store = new MemStore(); // (closed by the contract's @AfterEach)
  }

  @Test
  void aDirectoryWithoutCurrentIsNotAStore() throws Exception {
    store.close();
    Path db = dir.resolve("db");
    Files.delete(db.resolve("CURRENT"));
    Map<String, String> before = StoreFiles.snapshot(db);
    assertThatThrownBy(() -> ObjectStores.open("rocksdb", dir, false, new StoreIdentity("f", 0)))
        .isInstanceOf(StoreException.class).hasMessageContaining("no CURRENT file");
    assertThatThrownBy(() -> ObjectStores.open("rocksdb", dir, false))
        .isInstanceOf(StoreException.class).hasMessageContaining("no CURRENT file");
    assertThat(StoreFiles.snapshot(db)).isEqualTo(before);
    store = new MemStore();
  }

  @Test
  void unknownKindIsRefused() {
    assertThatThrownBy(() -> ObjectStores.open("bluestore", dir, true)).hasMessageContaining("unknown objectstore");
  }
}
