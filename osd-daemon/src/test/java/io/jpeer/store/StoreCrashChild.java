package io.jpeer.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Child process of {@link StoreCrashTest}: applies numbered transactions (an object plus an omap
 * counter, atomically) and prints each number once apply has returned, until killed.
 */
public final class StoreCrashChild {
  private StoreCrashChild() {}

  public static void main(String[] args) throws Exception {
    try (ObjectStore store = ObjectStores.open("rocksdb", Path.of(args[0]), true)) {
      store.apply(new Transaction().createCollection("1.0"));
      for (long i = 1; ; i++) {
        byte[] n = Long.toString(i).getBytes(StandardCharsets.UTF_8);
        store.apply(new Transaction().write("1.0", String.format("obj.%08d", i), new byte[4096], Map.of("v", n))
            .omapSet("1.0", "counter", n));
        System.out.println(i);
        System.out.flush();
      }
    }
  }
}
