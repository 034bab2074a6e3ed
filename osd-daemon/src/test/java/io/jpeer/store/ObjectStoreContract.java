package io.jpeer.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What every ObjectStore must do; each implementation runs it. */
@Timeout(30)
abstract class ObjectStoreContract {
  protected ObjectStore store;

  protected abstract ObjectStore create() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = create();
  }

  @AfterEach
  void close() {
    store.close();
  }

  static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  @Test
  void writeReadAndAttributes() throws Exception {
    store.apply(new Transaction().createCollection("1.0").write("1.0", "obj", b("data"), Map.of("v", b("5'3"))));
    StoredObject o = store.read("1.0", "obj").orElseThrow();
    assertThat(new String(o.data(), UTF_8)).isEqualTo("data");
    assertThat(new String(o.attrs().get("v"), UTF_8)).isEqualTo("5'3");
    assertThat(store.read("1.0", "nope")).isEmpty();
  }

  @Test
  void aTransactionThatCannotApplyChangesNothing() throws Exception {
    store.apply(new Transaction().createCollection("1.0"));
    Transaction bad = new Transaction().write("1.0", "a", b("x"), Map.of()).omapSet("1.0", "k", b("v"))
        .write("2.0", "b", b("y"), Map.of());
    assertThatThrownBy(() -> store.apply(bad)).isInstanceOf(StoreException.class).hasMessageContaining("2.0");
    assertThat(store.read("1.0", "a")).isEmpty();
    assertThat(store.omapGet("1.0", "k")).isEmpty();
  }

  @Test
  void listingIsInByteWiseNameOrderAndPages() throws Exception {
    Transaction t = new Transaction().createCollection("1.0").createCollection("1.1");
    for (String n : List.of("b", "a", "B", "a1", "_x", "z")) {
      t.write("1.0", n, b(n), Map.of());
    }
    t.write("1.1", "other", b("o"), Map.of());
    store.apply(t);
    assertThat(store.list("1.0", "", 100)).containsExactly("B", "_x", "a", "a1", "b", "z");
    assertThat(store.list("1.0", "a", 2)).containsExactly("a1", "b");
    assertThat(store.list("1.1", "", 100)).containsExactly("other");
  }

  @Test
  void omapScansRangesAndRemovesRanges() throws Exception {
    Transaction t = new Transaction().createCollection("1.0");
    for (String k : List.of("log.0001", "log.0002", "log.0003", "missing.a", "info")) {
      t.omapSet("1.0", k, b(k));
    }
    store.apply(t);
    assertThat(store.omapScan("1.0", "log.", "log/").keySet()).containsExactly("log.0001", "log.0002", "log.0003");
    store.apply(new Transaction().omapRemoveRange("1.0", "log.0001", "log.0003").omapRemove("1.0", "info"));
    assertThat(store.omapScan("1.0", "", "~").keySet()).containsExactly("log.0003", "missing.a");
  }

  @Test
  void removingACollectionRemovesItsContentsOnly() throws Exception {
    store.apply(new Transaction().createCollection("1.0").createCollection("1.00")
        .write("1.0", "a", b("x"), Map.of()).omapSet("1.0", "k", b("v")).write("1.00", "a", b("y"), Map.of()));
    store.apply(new Transaction().removeCollection("1.0"));
    assertThat(store.listCollections()).containsExactly("1.00");
    assertThat(store.read("1.00", "a")).isPresent();
    store.apply(new Transaction().createCollection("1.0"));
    assertThat(store.list("1.0", "", 10)).isEmpty();
    assertThat(store.omapGet("1.0", "k")).isEmpty();
  }

  @Test
  void deletesObjects() throws Exception {
    store.apply(new Transaction().createCollection("c").write("c", "a", b("1"), Map.of()));
    store.apply(new Transaction().remove("c", "a"));
    assertThat(store.read("c", "a")).isEmpty();
    assertThatThrownBy(() -> store.read("missing", "a")).isInstanceOf(StoreException.class);
  }
}
