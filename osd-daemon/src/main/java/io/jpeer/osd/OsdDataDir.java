package io.jpeer.osd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The OSD's data directory identity (Ceph's {@code fsid} and {@code whoami} files): a new
 * directory is stamped on first start; a directory of another cluster or OSD is refused before
 * anything in it is touched. As Ceph's mkfs, a {@code ready} file is written once the new OSD's
 * store exists: until then the directory is still new (a start interrupted half-way may create
 * its store); after, a missing store is lost data, never replaced by an empty one.
 */
final class OsdDataDir {
  private OsdDataDir() {}

  static final String READY = "ready";

  /**
   * Stamps or checks {@code dir}; returns true when it is a new OSD's (just stamped, or stamped
   * before but never {@link #markReady ready}): only then may the OSD create its store.
   */
  static boolean prepare(Path dir, String fsid, int whoami) throws OsdStartException {
    Path fsidFile = dir.resolve("fsid");
    Path whoamiFile = dir.resolve("whoami");
    try {
      if (Files.exists(fsidFile)) {
        String have = Files.readString(fsidFile, StandardCharsets.UTF_8).trim();
        if (!have.equals(fsid)) {
          throw new OsdStartException("osd data " + dir + " belongs to cluster " + have + ", not " + fsid);
        }
        String who = Files.exists(whoamiFile) ? Files.readString(whoamiFile, StandardCharsets.UTF_8).trim() : "";
        if (!who.equals(Integer.toString(whoami))) {
          throw new OsdStartException("osd data " + dir + " belongs to osd." + (who.isEmpty() ? "?" : who)
              + ", not osd." + whoami);
        }
        return !Files.exists(dir.resolve(READY));
      }
      if (Files.isDirectory(dir)) {
        try (var s = Files.list(dir)) {
          if (s.findAny().isPresent()) {
            throw new OsdStartException("osd data " + dir + " is not empty and has no fsid file");
          }
        }
      }
      Files.createDirectories(dir);
      writeAtomically(whoamiFile, whoami + "\n");
      writeAtomically(fsidFile, fsid + "\n");
      return true;
    } catch (IOException e) {
      throw new OsdStartException("osd data " + dir + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
    }
  }

  /** The new OSD's store exists: from now on the directory is not new. */
  static void markReady(Path dir) throws OsdStartException {
    try {
      writeAtomically(dir.resolve(READY), "ready\n");
    } catch (IOException e) {
      throw new OsdStartException("osd data " + dir + ": cannot write " + READY + ": " + e.getMessage());
    }
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
