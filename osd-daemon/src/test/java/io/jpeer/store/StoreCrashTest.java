package io.jpeer.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SIGKILL during a stream of synced transactions loses nothing acknowledged and tears nothing. */
@Timeout(60)
class StoreCrashTest {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedTransactionSurvivesSigkill() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        StoreCrashChild.class.getName(), dir.toString()).redirectErrorStream(false).start();
    long lastAcked = 0;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      String line;
      while (lastAcked < 200 && System.nanoTime() < deadline && (line = out.readLine()) != null) {
        lastAcked = Long.parseLong(line.strip());
      }
      assertThat(lastAcked).as("child made progress").isGreaterThanOrEqualTo(200);
      child.destroyForcibly(); // SIGKILL, mid-stream: the child is still writing
      child.waitFor(10, TimeUnit.SECONDS);
    } finally {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
    try (ObjectStore store = ObjectStores.open("rocksdb", dir, false)) {
      long counter = Long.parseLong(new String(store.omapGet("1.0", "counter").orElseThrow(), StandardCharsets.UTF_8));
      assertThat(counter).isGreaterThanOrEqualTo(lastAcked);
      // Consistent: exactly the objects the counter says were written.
      assertThat(store.list("1.0", "", Integer.MAX_VALUE)).hasSize((int) counter);
    }
  }
}
