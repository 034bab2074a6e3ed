package io.jpeer.mon;

import io.jpeer.map.Incremental;
import io.jpeer.map.MapCodec;
import io.jpeer.map.OsdMap;
import io.jpeer.proto.mon.IncrementalProto;
import io.jpeer.proto.mon.OsdMapProto;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The monitor's map history under {@code mon data}: {@code fsid}, and per epoch
 * {@code osdmap/full_EPOCH} and (from epoch 2) {@code osdmap/inc_EPOCH}, each a protobuf message.
 * Every file is written to a temporary name, synced, then renamed, so a crash leaves either the
 * old or the new epoch, never a torn one. The full map is written last: its presence marks the
 * epoch committed.
 */
public final class MonStore implements AutoCloseable {
  private final Path dir;
  private final Path maps;
  private final FileChannel lockFile;
  private final java.nio.channels.FileLock lock;

  private MonStore(Path dir, FileChannel lockFile, java.nio.channels.FileLock lock) {
    this.dir = dir;
    this.maps = dir.resolve("osdmap");
    this.lockFile = lockFile;
    this.lock = lock;
  }

  /**
   * Opens (creating if needed) the store in a directory and locks it, so two monitors never
   * write one history. Close to release the lock.
   */
  public static MonStore open(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("osdmap"));
    FileChannel ch = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    java.nio.channels.FileLock l;
    try {
      l = ch.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      l = null;
    }
    if (l == null) {
      ch.close();
      throw new IOException(dir + " is in use by another monitor");
    }
    return new MonStore(dir, ch, l);
  }

  @Override
  public void close() throws IOException {
    if (lockFile.isOpen()) {
      lock.release();
      lockFile.close();
    }
  }

  public Path dir() {
    return dir;
  }

  /** The fsid recorded at creation, if any. */
  public Optional<String> fsid() throws IOException {
    Path f = dir.resolve("fsid");
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    return Optional.of(Files.readString(f, StandardCharsets.UTF_8).trim());
  }

  public void writeFsid(String fsid) throws IOException {
    writeAtomically(dir.resolve("fsid"), (fsid + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Committed epochs, ascending. */
  public TreeSet<Long> epochs() throws IOException {
    TreeSet<Long> out = new TreeSet<>();
    try (Stream<Path> s = Files.list(maps)) {
      s.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("full_") && !n.endsWith(".tmp"))
          .forEach(n -> out.add(Long.parseLong(n.substring(5))));
    } catch (NumberFormatException e) {
      throw new IOException("unexpected file in " + maps + ": " + e.getMessage());
    }
    return out;
  }

  public Optional<OsdMap> latest() throws IOException {
    TreeSet<Long> e = epochs();
    return e.isEmpty() ? Optional.empty() : Optional.of(full(e.last()));
  }

  public OsdMap full(long epoch) throws IOException {
    Path f = maps.resolve(name("full_", epoch));
    try {
      return MapCodec.fromProto(OsdMapProto.parseFrom(Files.readAllBytes(f)));
    } catch (IllegalArgumentException | com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IOException(f + ": corrupt map: " + e.getMessage());
    }
  }

  public Incremental incremental(long epoch) throws IOException {
    Path f = maps.resolve(name("inc_", epoch));
    try {
      return MapCodec.fromProto(IncrementalProto.parseFrom(Files.readAllBytes(f)));
    } catch (IllegalArgumentException | com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IOException(f + ": corrupt incremental: " + e.getMessage());
    }
  }

  /** Commits one epoch: its incremental (null for epoch 1), then its full map. */
  public void put(Incremental inc, OsdMap full) throws IOException {
    if (inc != null) {
      writeAtomically(maps.resolve(name("inc_", inc.epoch())), MapCodec.toProto(inc).toByteArray());
    }
    writeAtomically(maps.resolve(name("full_", full.epoch())), MapCodec.toProto(full).toByteArray());
  }

  private static String name(String prefix, long epoch) {
    return prefix + String.format("%010d", epoch);
  }

  private void writeAtomically(Path target, byte[] data) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(data));
      ch.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    // Sync the directory so the rename itself survives a crash.
    try (FileChannel d = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException ignoredOnPlatformsWithoutDirSync) {
      // Some filesystems refuse to open a directory for sync; the data file itself is synced.
    }
  }
}
