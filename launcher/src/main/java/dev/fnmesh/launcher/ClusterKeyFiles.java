package dev.fnmesh.launcher;

import dev.fnmesh.broker.signing.ClusterKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Cluster keys in files: one the user made, or the one {@code fnmesh up} keeps in its data directory. */
final class ClusterKeyFiles {

  /** The file in the data directory that holds the key of {@code fnmesh up}. */
  static final String KEPT = "cluster.key";

  private ClusterKeyFiles() {}

  /** @throws IllegalArgumentException when the file is missing, unreadable, empty or holds a too short key */
  static ClusterKey read(Path file) {
    try {
      return ClusterKey.of(Files.readAllBytes(file), "file " + file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("the cluster key file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("the cluster key file " + file + " cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * The key kept in the data directory, made at the first start, so that the cron state written before a
   * restart still verifies after it.
   *
   * @throws IllegalArgumentException when the kept file holds no valid key
   * @throws UncheckedIOException when the directory cannot be written
   */
  static ClusterKey keptIn(Path dataDir) {
    Path file = dataDir.resolve(KEPT);
    if (Files.exists(file)) {
      return read(file);
    }
    try {
      Files.createDirectories(dataDir);
      Path written = Files.createTempFile(dataDir, KEPT, ".new");
      try {
        // Written aside and moved in whole, so that no process reads it half-written; createTempFile makes it
        // readable by this user only on POSIX file systems.
        Files.write(written, ClusterKey.generateText());
        Files.move(written, file);
      } catch (FileAlreadyExistsException raced) {
        // Another process of this data directory made it first: its key is the one.
        Files.delete(written);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the cluster key could not be kept in " + file + ": " + e.getMessage(), e);
    }
    return read(file);
  }
}
