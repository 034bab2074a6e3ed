package io.jpeer.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** A directory's files with their size and modification time: equal snapshots = nothing was touched. */
final class StoreFiles {
  private StoreFiles() {}

  static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (var s = Files.walk(dir)) {
      s.filter(Files::isRegularFile).forEach(p -> {
        try {
          m.put(dir.relativize(p).toString(), Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis() + " "
              + java.util.Arrays.hashCode(Files.readAllBytes(p)));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return m;
  }
}
