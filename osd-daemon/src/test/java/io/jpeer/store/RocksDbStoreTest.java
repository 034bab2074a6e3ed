package io.jpeer.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  void unknownKindIsRefused() {
    assertThatThrownBy(() -> ObjectStores.open("bluestore", dir, true)).hasMessageContaining("unknown objectstore");
  }
}
